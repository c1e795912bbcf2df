import { createRule, type Severity } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, intValue, isNone, keywordArg, positionalArgs, unparen } from '../../python/ast.js';
import { isConstant } from '../../python/values.js';
import { methodCall, producedBy } from '../../python/receivers.js';

const MODES = 'cryptography.hazmat.primitives.ciphers.modes';

/** cryptography modes that take an IV/nonce: keyword name and what to call it. */
const IV_MODES: Record<string, { keyword: string; what: string }> = {
  [`${MODES}.CBC`]: { keyword: 'initialization_vector', what: 'IV' },
  [`${MODES}.CFB`]: { keyword: 'initialization_vector', what: 'IV' },
  [`${MODES}.CFB8`]: { keyword: 'initialization_vector', what: 'IV' },
  [`${MODES}.OFB`]: { keyword: 'initialization_vector', what: 'IV' },
  [`${MODES}.CTR`]: { keyword: 'nonce', what: 'nonce' },
  [`${MODES}.GCM`]: { keyword: 'initialization_vector', what: 'nonce' },
  'cryptography.hazmat.primitives.ciphers.algorithms.ChaCha20': { keyword: 'nonce', what: 'nonce' },
};

/** AEAD classes whose `encrypt(nonce, ...)` must never see the same nonce twice. */
const AEADS = new Set(
  ['AESGCM', 'ChaCha20Poly1305', 'AESCCM', 'AESOCB3'].map((c) => `cryptography.hazmat.primitives.ciphers.aead.${c}`),
);

const PYCRYPTO_NEW = /^(?:Crypto|Cryptodome)\.Cipher\.\w+\.new$/;
const PYCRYPTO_MODE = /^(?:Crypto|Cryptodome)\.Cipher\.\w+\.MODE_(\w+)$/;

/** A value fixed in the source: a literal, a constant expression, or `bytes(16)`. */
function isStaticBytes(ctx: RuleContext, node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  if (isNone(n)) return false;
  if (n.type === 'call') {
    const fn = ctx.calleeName(n);
    const args = positionalArgs(n);
    return (fn === 'bytes' || fn === 'bytearray') && args.length === 1 && intValue(unparen(args[0] as SyntaxNode)) !== null;
  }
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    if (v && v.id !== n.id && unparen(v).type === 'call') return isStaticBytes(ctx, v);
  }
  return isConstant(ctx, n);
}

function modeName(ctx: RuleContext, node: SyntaxNode | null): string | null {
  if (!node) return null;
  const n = unparen(node);
  const q = ctx.qualifiedName(n) ?? ctx.qualifiedName(ctx.valueOf(n));
  const m = q ? PYCRYPTO_MODE.exec(q) : null;
  return m?.[1] ?? null;
}

export default createRule({
  meta: {
    id: 'weak-cipher-mode',
    area: 'sensitive-data',
    summary: 'A block cipher is used in ECB mode, or with an IV or nonce fixed in the source.',
    severity: 'medium',
    confidence: 'high',
    cwe: ['CWE-327', 'CWE-329', 'CWE-323'],
    owasp: ['A02:2021'],
    bandit: ['B305'],
    ruff: ['S305'],
    messages: {
      ecb:
        'ECB mode encrypts identical blocks of plaintext to identical ciphertext, so patterns in the data stay visible and blocks can be swapped undetected; use an authenticated mode such as GCM.',
      staticIv:
        'The {{what}} is a constant: every message encrypted with this key reuses it, which {{impact}}; generate a fresh random {{what}} for each message (e.g. `os.urandom(...)`) and store it with the ciphertext.',
    },
    docs: {
      whatItDoes:
        'Flags `cryptography`\'s `modes.ECB()` and pycryptodome ciphers created with `MODE_ECB`, and IVs or nonces written into the source: `modes.CBC(b"...")`, `modes.CTR`/`GCM`/`CFB`/`OFB` and `algorithms.ChaCha20` with a constant, `AESGCM(key).encrypt(b"...", ...)` and the other AEADs, and `AES.new(key, mode, iv=b"...")` / `nonce=b"..."`. A constant is a literal, a name bound once to a literal, or `bytes(16)`; an IV from `os.urandom` or a parameter is not flagged.',
      whyBad:
        'ECB encrypts each block independently, so equal plaintext blocks give equal ciphertext blocks: structure leaks (the famous "ECB penguin"), and an attacker can cut, reorder and replay blocks. An IV or nonce must be unpredictable (CBC) or unique (CTR, GCM, ChaCha20) for every message under a key. With a fixed CBC IV, equal message prefixes are revealed; with a fixed CTR/GCM/ChaCha20 nonce the keystream repeats, so XOR-ing two ciphertexts yields the XOR of the plaintexts, and for GCM the authentication key can be recovered, allowing forgeries.',
      example:
        'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\n\nIV = b"0123456789abcdef"\nenc = Cipher(algorithms.AES(key), modes.CBC(IV)).encryptor()\nold = Cipher(algorithms.AES(key), modes.ECB()).encryptor()',
      useInstead:
        'import os\nfrom cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\nnonce = os.urandom(12)  # fresh for every message, stored next to the ciphertext\nciphertext = AESGCM(key).encrypt(nonce, data, associated_data)\nmessage = nonce + ciphertext',
      fixSafety:
        'No automatic fix: a new mode or a random IV changes the ciphertext format (the IV must be stored and transmitted with each message), so existing data and every reader must be migrated together.',
      references: [
        'https://cryptography.io/en/latest/hazmat/primitives/symmetric-encryption/#modes',
        'https://cryptography.io/en/latest/hazmat/primitives/aead/',
        'https://www.pycryptodome.org/src/cipher/classic',
        'https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) =>
    name !== null ? name === `${MODES}.ECB` || Object.hasOwn(IV_MODES, name) || PYCRYPTO_NEW.test(name) : method === 'encrypt',
  create(ctx) {
    const reportIv = (node: SyntaxNode, what: string, cbc: boolean): void => {
      const severity: Severity = cbc ? 'medium' : 'high';
      const impact = cbc
        ? 'reveals when two messages start with the same data'
        : 'repeats the keystream, so two ciphertexts together reveal both plaintexts (and lets an attacker forge GCM messages)';
      ctx.report({ node, messageId: 'staticIv', data: { what, impact }, severity });
    };

    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (name === `${MODES}.ECB`) {
          ctx.report({ node, messageId: 'ecb' });
          return;
        }
        const ivMode = name ? IV_MODES[name] : undefined;
        if (ivMode) {
          const isChaCha = name?.endsWith('.ChaCha20') ?? false;
          const iv = argument(node, isChaCha ? 1 : 0, ivMode.keyword);
          if (iv && isStaticBytes(ctx, iv)) reportIv(iv, ivMode.what, name === `${MODES}.CBC`);
          return;
        }
        if (name && PYCRYPTO_NEW.test(name)) {
          const modeArg = argument(node, 1, 'mode');
          const mode = modeName(ctx, modeArg);
          if (mode === 'ECB' && modeArg) {
            ctx.report({ node: modeArg, messageId: 'ecb' });
            return;
          }
          const iv = keywordArg(node, 'iv') ?? keywordArg(node, 'IV');
          const nonce = keywordArg(node, 'nonce');
          const positional = mode ? positionalArgs(node)[2] ?? null : null;
          if (iv && isStaticBytes(ctx, iv)) reportIv(iv, 'IV', mode === 'CBC');
          else if (nonce && isStaticBytes(ctx, nonce)) reportIv(nonce, 'nonce', false);
          else if (positional && isStaticBytes(ctx, positional)) {
            reportIv(positional, ['CBC', 'CFB', 'OFB', 'OPENPGP'].includes(mode ?? '') ? 'IV' : 'nonce', mode === 'CBC');
          }
          return;
        }
        if (name) return;
        const m = methodCall(node);
        if (m?.method !== 'encrypt') return;
        const made = producedBy(ctx, m.receiver);
        if (!made || !AEADS.has(made)) return;
        const nonce = argument(node, 0, 'nonce');
        if (nonce && isStaticBytes(ctx, nonce)) reportIv(nonce, 'nonce', false);
      },
    };
  },
});
