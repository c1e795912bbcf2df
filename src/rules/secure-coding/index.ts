import type { Rule } from '../../core/types.js';
import unsafeArchiveExtraction from './unsafe-archive-extraction.js';
import permissiveFileMode from './permissive-file-mode.js';
import xmlExternalEntities from './xml-external-entities.js';
import dynamicCodeExecution from './dynamic-code-execution.js';
import insecureTempFile from './insecure-temp-file.js';
import jinja2AutoescapeDisabled from './jinja2-autoescape-disabled.js';
import openRedirect from './open-redirect.js';
import passwordFastHash from './password-fast-hash.js';
import pathTraversal from './path-traversal.js';
import shellCommandBuilt from './shell-command-built.js';
import unescapedMarkup from './unescaped-markup.js';
import unsafeDeserialization from './unsafe-deserialization.js';
import weakRandomToken from './weak-random-token.js';
import yamlUnsafeLoad from './yaml-unsafe-load.js';
import commandInjection from './command-injection.js';
import codeInjection from './code-injection.js';
import templateInjection from './template-injection.js';
import reflectedXss from './reflected-xss.js';
import ssrf from './ssrf.js';
import xpathInjection from './xpath-injection.js';
import ldapInjection from './ldap-injection.js';
import untrustedXmlParse from './untrusted-xml-parse.js';
import headerInjection from './header-injection.js';
import plaintextPasswordStored from './plaintext-password-stored.js';
import weakPasswordHasher from './weak-password-hasher.js';
import requestWithoutTimeout from './request-without-timeout.js';

export const rules: Rule[] = [
  dynamicCodeExecution,
  shellCommandBuilt,
  unsafeDeserialization,
  yamlUnsafeLoad,
  jinja2AutoescapeDisabled,
  unescapedMarkup,
  openRedirect,
  pathTraversal,
  insecureTempFile,
  passwordFastHash,
  weakRandomToken,
  xmlExternalEntities,
  permissiveFileMode,
  unsafeArchiveExtraction,
  commandInjection,
  codeInjection,
  templateInjection,
  reflectedXss,
  ssrf,
  xpathInjection,
  ldapInjection,
  untrustedXmlParse,
  headerInjection,
  plaintextPasswordStored,
  weakPasswordHasher,
  requestWithoutTimeout,
];
