import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, intValue, unparen } from '../../python/ast.js';
import { methodCall, producedBy } from '../../python/receivers.js';

const ASYM = 'cryptography.hazmat.primitives.asymmetric';

interface KeyCall {
  algorithm: string;
  index: number;
  keyword: string;
  /** The fix may raise the literal to 2048 (false where the protocol fixes the size). */
  fixable: boolean;
}

const KEY_CALLS: Record<string, KeyCall> = {
  [`${ASYM}.rsa.generate_private_key`]: { algorithm: 'RSA', index: 1, keyword: 'key_size', fixable: true },
  [`${ASYM}.dsa.generate_private_key`]: { algorithm: 'DSA', index: 0, keyword: 'key_size', fixable: true },
  [`${ASYM}.dsa.generate_parameters`]: { algorithm: 'DSA', index: 0, keyword: 'key_size', fixable: true },
  [`${ASYM}.dh.generate_parameters`]: { algorithm: 'Diffie-Hellman', index: 1, keyword: 'key_size', fixable: true },
  'paramiko.RSAKey.generate': { algorithm: 'RSA', index: 0, keyword: 'bits', fixable: true },
  'paramiko.rsakey.RSAKey.generate': { algorithm: 'RSA', index: 0, keyword: 'bits', fixable: true },
  // SSH DSA keys are 1024 bits by specification: the advice is to move to Ed25519 or RSA.
  'paramiko.DSSKey.generate': { algorithm: 'DSA', index: 0, keyword: 'bits', fixable: false },
  'paramiko.dsskey.DSSKey.generate': { algorithm: 'DSA', index: 0, keyword: 'bits', fixable: false },
};
for (const root of ['Crypto', 'Cryptodome']) {
  KEY_CALLS[`${root}.PublicKey.RSA.generate`] = { algorithm: 'RSA', index: 0, keyword: 'bits', fixable: true };
  KEY_CALLS[`${root}.PublicKey.DSA.generate`] = { algorithm: 'DSA', index: 0, keyword: 'bits', fixable: true };
}

const EC_CALLS: Record<string, { index: number; keyword: string }> = {
  [`${ASYM}.ec.generate_private_key`]: { index: 0, keyword: 'curve' },
  [`${ASYM}.ec.derive_private_key`]: { index: 1, keyword: 'curve' },
};

/** Curves with less than 112 bits of security (under 224-bit order). */
const WEAK_CURVES: Record<string, number> = { SECP192R1: 192, SECT163K1: 163, SECT163R2: 163 };

const MINIMUM = 2048;

/** An integer literal, or a name bound once to one. */
function bits(ctx: RuleContext, node: SyntaxNode | null): { value: number; literal: SyntaxNode | null } | null {
  if (!node) return null;
  const n = unparen(node);
  const direct = intValue(n);
  if (direct !== null) return { value: direct, literal: n };
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    const bound = v && v.id !== n.id ? intValue(unparen(v)) : null;
    if (bound !== null) return { value: bound, literal: null };
  }
  return null;
}

export default createRule({
  meta: {
    id: 'weak-key-size',
    area: 'sensitive-data',
    summary: 'An RSA, DSA or Diffie-Hellman key shorter than 2048 bits, or an elliptic curve under 224 bits, is generated.',
    severity: 'medium',
    confidence: 'high',
    cwe: ['CWE-326'],
    owasp: ['A02:2021'],
    bandit: ['B505'],
    ruff: ['S505'],
    messages: {
      smallKey:
        'A {{bits}}-bit {{algorithm}} key is too short to resist a well-funded attacker; use at least 2048 bits (3072 for data that must stay secret beyond 2030).',
      weakCurve:
        'The {{curve}} curve ({{bits}} bits) gives less than 112 bits of security; use SECP256R1 (P-256) or larger, or Ed25519.',
    },
    docs: {
      whatItDoes:
        'Flags key generation with sizes below current minimums: `cryptography`\'s `rsa.generate_private_key`, `dsa.generate_private_key` / `generate_parameters` and `dh.generate_parameters` with `key_size` under 2048, `ec.generate_private_key` / `derive_private_key` with SECP192R1, SECT163K1 or SECT163R2, pycryptodome `RSA.generate` / `DSA.generate` and paramiko `RSAKey.generate` / `DSSKey.generate` under 2048 bits, and pyOpenSSL `PKey().generate_key(type, bits)`. Only sizes written as integer literals (or names bound once to one) are checked.',
      whyBad:
        'The security of RSA, DSA and Diffie-Hellman depends on the size of the modulus. 512-bit RSA keys are factored in hours on rented hardware, 768-bit keys have been publicly factored, and 1024-bit keys are within reach of well-resourced attackers; NIST SP 800-131A disallows them for signatures and key exchange. A factored key lets an attacker forge signatures, impersonate the server, or decrypt recorded traffic. Curves under 224 bits have the same problem.',
      example:
        'from cryptography.hazmat.primitives.asymmetric import rsa\n\nkey = rsa.generate_private_key(public_exponent=65537, key_size=1024)',
      useInstead:
        'from cryptography.hazmat.primitives.asymmetric import ec, rsa\n\nkey = rsa.generate_private_key(public_exponent=65537, key_size=3072)\n# or, smaller and faster:\nkey = ec.generate_private_key(ec.SECP256R1())',
      fixSafety:
        'When the size is an integer literal in the call, the fix raises it to 2048. Only keys generated from now on change; existing keys stay as they are. Key generation and signing become slower and signatures larger, and very old peers limited to 1024-bit keys may reject the new keys. Curve findings, paramiko DSA keys (fixed at 1024 bits by the SSH protocol) and sizes held in variables have no automatic fix.',
      references: [
        'https://cryptography.io/en/latest/hazmat/primitives/asymmetric/rsa/#generation',
        'https://cryptography.io/en/latest/hazmat/primitives/asymmetric/ec/#elliptic-curves',
        'https://csrc.nist.gov/pubs/sp/800/131/a/r2/final',
        'https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html#algorithms',
      ],
    },
    fixable: true,
  },
  callFilter: (name, method) => (name !== null ? Object.hasOwn(KEY_CALLS, name) || Object.hasOwn(EC_CALLS, name) : method === 'generate_key'),
  create(ctx) {
    const checkSize = (node: SyntaxNode, arg: SyntaxNode | null, algorithm: string, fixable: boolean): void => {
      const size = bits(ctx, arg);
      if (!size || size.value >= MINIMUM || size.value <= 0 || !arg) return;
      ctx.report({
        node: arg,
        messageId: 'smallKey',
        data: { bits: size.value, algorithm },
        severity: size.value < 1024 ? 'high' : 'medium',
        ...(fixable && size.literal ? { fix: ctx.replace(size.literal, String(MINIMUM), 'Use a 2048-bit key') } : {}),
      });
    };

    return {
      call(node) {
        const name = ctx.calleeName(node);
        const key = name ? KEY_CALLS[name] : undefined;
        if (key) {
          checkSize(node, argument(node, key.index, key.keyword), key.algorithm, key.fixable);
          return;
        }
        const ec = name ? EC_CALLS[name] : undefined;
        if (ec) {
          const curveArg = argument(node, ec.index, ec.keyword);
          if (!curveArg) return;
          const c = unparen(curveArg);
          const curveName = ctx.qualifiedName(c.type === 'call' ? c.childForFieldName('function') : c);
          const prefix = `${ASYM}.ec.`;
          if (!curveName?.startsWith(prefix)) return;
          const curve = curveName.slice(prefix.length);
          const size = WEAK_CURVES[curve];
          if (size !== undefined) ctx.report({ node: curveArg, messageId: 'weakCurve', data: { curve, bits: size } });
          return;
        }
        if (name) return;
        // pyOpenSSL: key = crypto.PKey(); key.generate_key(crypto.TYPE_RSA, 1024)
        const m = methodCall(node);
        if (m?.method !== 'generate_key' || producedBy(ctx, m.receiver) !== 'OpenSSL.crypto.PKey') return;
        const type = ctx.qualifiedName(argument(node, 0, 'type'));
        const algorithm = type === 'OpenSSL.crypto.TYPE_RSA' ? 'RSA' : type === 'OpenSSL.crypto.TYPE_DSA' ? 'DSA' : null;
        if (algorithm) checkSize(node, argument(node, 1, 'bits'), algorithm, true);
      },
    };
  },
});
