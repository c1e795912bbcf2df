import type { Rule } from '../../core/types.js';
import insecureCookie from './insecure-cookie.js';
import jwtVerifyDisabled from './jwt-verify-disabled.js';
import bindAllInterfaces from './bind-all-interfaces.js';
import hardcodedPassword from './hardcoded-password.js';
import hardcodedSecret from './hardcoded-secret.js';
import sshHostKeyUnverified from './ssh-host-key-unverified.js';
import tlsInsecureProtocol from './tls-insecure-protocol.js';
import tlsUnverifiedContext from './tls-unverified-context.js';
import tlsVerifyDisabled from './tls-verify-disabled.js';
import weakCipher from './weak-cipher.js';
import weakCipherMode from './weak-cipher-mode.js';
import weakKeySize from './weak-key-size.js';
import weakHash from './weak-hash.js';
import cleartextCredentials from './cleartext-credentials.js';

export const rules: Rule[] = [
  tlsVerifyDisabled,
  tlsUnverifiedContext,
  tlsInsecureProtocol,
  weakCipher,
  weakCipherMode,
  weakKeySize,
  hardcodedSecret,
  hardcodedPassword,
  sshHostKeyUnverified,
  bindAllInterfaces,
  jwtVerifyDisabled,
  insecureCookie,
  weakHash,
  cleartextCredentials,
];
