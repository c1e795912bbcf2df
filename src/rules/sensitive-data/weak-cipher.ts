import { createRule, type Severity } from '../../core/types.js';

interface CipherInfo {
  cipher: string;
  kind: 'broken' | 'smallBlock' | 'legacy';
}

const PYCRYPTO: Record<string, CipherInfo> = {
  DES: { cipher: 'DES', kind: 'broken' },
  DES3: { cipher: 'Triple DES', kind: 'smallBlock' },
  ARC2: { cipher: 'RC2', kind: 'broken' },
  ARC4: { cipher: 'RC4', kind: 'broken' },
  Blowfish: { cipher: 'Blowfish', kind: 'smallBlock' },
  CAST: { cipher: 'CAST-128', kind: 'smallBlock' },
  XOR: { cipher: 'XOR', kind: 'broken' },
};

const CRYPTOGRAPHY: Record<string, CipherInfo> = {
  TripleDES: { cipher: 'Triple DES', kind: 'smallBlock' },
  ARC4: { cipher: 'RC4', kind: 'broken' },
  RC2: { cipher: 'RC2', kind: 'broken' },
  Blowfish: { cipher: 'Blowfish', kind: 'smallBlock' },
  IDEA: { cipher: 'IDEA', kind: 'smallBlock' },
  CAST5: { cipher: 'CAST5', kind: 'smallBlock' },
  SEED: { cipher: 'SEED', kind: 'legacy' },
};

const CIPHERS = new Map<string, CipherInfo>();
for (const root of ['Crypto', 'Cryptodome']) {
  for (const [mod, info] of Object.entries(PYCRYPTO)) CIPHERS.set(`${root}.Cipher.${mod}.new`, info);
}
for (const mod of ['cryptography.hazmat.primitives.ciphers.algorithms', 'cryptography.hazmat.decrepit.ciphers.algorithms']) {
  for (const [cls, info] of Object.entries(CRYPTOGRAPHY)) CIPHERS.set(`${mod}.${cls}`, info);
}
CIPHERS.set('pyDes.des', { cipher: 'DES', kind: 'broken' });
CIPHERS.set('pyDes.triple_des', { cipher: 'Triple DES', kind: 'smallBlock' });

const SEVERITY: Record<CipherInfo['kind'], Severity> = { broken: 'high', smallBlock: 'medium', legacy: 'low' };

export default createRule({
  meta: {
    id: 'weak-cipher',
    area: 'sensitive-data',
    summary: 'Data is encrypted with a broken or obsolete cipher (DES, 3DES, RC2, RC4, Blowfish, ...).',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-327'],
    owasp: ['A02:2021'],
    bandit: ['B304'],
    ruff: ['S304'],
    messages: {
      broken:
        '{{cipher}} is broken: data encrypted with it can be recovered by an attacker without the key; use AES-GCM or ChaCha20-Poly1305.',
      smallBlock:
        '{{cipher}} has a 64-bit block, so encrypting a few gigabytes under one key leaks plaintext (Sweet32); use AES-GCM or ChaCha20-Poly1305.',
      legacy:
        '{{cipher}} is a legacy cipher that libraries are removing (cryptography moved it to `decrepit`); use AES-GCM or ChaCha20-Poly1305.',
    },
    docs: {
      whatItDoes:
        'Flags the creation of ciphers that are broken or obsolete: `Crypto.Cipher` / `Cryptodome.Cipher` `DES`, `DES3`, `ARC2`, `ARC4`, `Blowfish`, `CAST` and `XOR` (`.new(...)`), the `cryptography` algorithms `TripleDES`, `ARC4`, `RC2`, `Blowfish`, `IDEA`, `CAST5` and `SEED` (from `primitives` or `decrepit`), and `pyDes.des` / `pyDes.triple_des`. AES and ChaCha20 are not flagged.',
      whyBad:
        'DES has a 56-bit key that can be brute-forced in hours; RC4 has biases that reveal plaintext (it is banned in TLS by RFC 7465); RC2 and XOR "ciphers" offer no real protection. Triple DES, Blowfish, IDEA and CAST5 use 64-bit blocks: after about 2^32 blocks (32 GB, often far less in practice) collisions leak plaintext (the Sweet32 attack), and NIST disallowed Triple DES for encryption after 2023. Data protected this way should be treated as readable by a determined attacker.',
      example:
        'from Crypto.Cipher import DES\n\ncipher = DES.new(key, DES.MODE_CBC, iv)\nciphertext = cipher.encrypt(pad(data, 8))',
      useInstead:
        'from cryptography.hazmat.primitives.ciphers.aead import AESGCM\n\nkey = AESGCM.generate_key(bit_length=256)\nnonce = os.urandom(12)  # never reuse a nonce with the same key\nciphertext = AESGCM(key).encrypt(nonce, data, associated_data)',
      fixSafety:
        'No automatic fix: changing the cipher changes the key size and the format of the ciphertext, so existing data must be decrypted with the old cipher and re-encrypted, and every party that reads it must be updated together.',
      references: [
        'https://cryptography.io/en/latest/hazmat/primitives/aead/',
        'https://www.pycryptodome.org/src/cipher/cipher',
        'https://sweet32.info/',
        'https://cheatsheetseries.owasp.org/cheatsheets/Cryptographic_Storage_Cheat_Sheet.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name !== null && CIPHERS.has(name),
  create(ctx) {
    return {
      call(node) {
        const name = ctx.calleeName(node);
        const info = name ? CIPHERS.get(name) : undefined;
        if (!info) return;
        ctx.report({ node, messageId: info.kind, data: { cipher: info.cipher }, severity: SEVERITY[info.kind] });
      },
    };
  },
});
