import rule from '../../src/rules/sensitive-data/weak-cipher-mode.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'import os\nfrom cryptography.hazmat.primitives.ciphers import modes\nmodes.CBC(os.urandom(16))',
    { name: 'GCM with a random nonce', code: 'import os\nfrom cryptography.hazmat.primitives.ciphers import modes\niv = os.urandom(12)\nmodes.GCM(iv)' },
    { name: 'IV from a parameter', code: 'from cryptography.hazmat.primitives.ciphers import modes\ndef enc(iv):\n    return modes.CTR(iv)' },
    { name: 'pycryptodome GCM without nonce (random)', code: 'from Crypto.Cipher import AES\nAES.new(key, AES.MODE_GCM)' },
    { name: 'pycryptodome CBC with random iv', code: 'from Crypto.Cipher import AES\nfrom Crypto.Random import get_random_bytes\nAES.new(key, AES.MODE_CBC, iv=get_random_bytes(16))' },
    { name: 'AESGCM with a fresh nonce', code: 'import os\nfrom cryptography.hazmat.primitives.ciphers.aead import AESGCM\naes = AESGCM(key)\naes.encrypt(os.urandom(12), data, None)' },
    { name: 'encrypt on an unknown object', code: 'box.encrypt(b"000000000000", data)\nfernet.encrypt(b"hello")' },
    { name: 'user ECB class', code: 'class ECB: ...\nECB()' },
    { name: 'MODE_ECB of an unrelated module', code: 'from Crypto.Cipher import AES\nAES.new(key, mylib.MODE_ECB)' },
    { name: 'comparing modes', code: 'from Crypto.Cipher import AES\nif mode == AES.MODE_ECB:\n    raise ValueError()' },
    { name: 'AES-SIV is nonce-misuse resistant', code: 'from cryptography.hazmat.primitives.ciphers.aead import AESSIV\nAESSIV(key).encrypt(data, [b"fixed"])' },
    { name: 'IV rebound', code: 'import os\nfrom cryptography.hazmat.primitives.ciphers import modes\niv = b"0" * 16\niv = os.urandom(16)\nmodes.CBC(iv)' },
  ],
  invalid: [
    {
      code: 'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nCipher(algorithms.AES(key), modes.ECB())',
      errors: [{ line: 2, column: 29, messageId: 'ecb' }],
      output: null,
    },
    {
      name: 'modes module alias',
      code: 'import cryptography.hazmat.primitives.ciphers.modes as m\nm.ECB()',
      errors: [{ line: 2, messageId: 'ecb' }],
    },
    {
      name: 'pycryptodome MODE_ECB',
      code: 'from Crypto.Cipher import AES\nAES.new(key, AES.MODE_ECB)',
      errors: [{ line: 2, column: 14, messageId: 'ecb' }],
    },
    {
      name: 'Cryptodome mode by keyword, through a constant',
      code: 'from Cryptodome.Cipher import AES as A\nMODE = A.MODE_ECB\nA.new(key, mode=MODE)',
      errors: [{ line: 3, messageId: 'ecb' }],
    },
    {
      name: 'constant CBC IV',
      code: 'from cryptography.hazmat.primitives.ciphers import modes\nmodes.CBC(b"0123456789abcdef")',
      errors: [{ line: 2, column: 11, messageId: 'staticIv', severity: 'medium' }],
    },
    {
      name: 'zero IVs and module constants',
      code: `
        from cryptography.hazmat.primitives.ciphers import modes
        IV = b"\\x00" * 16
        NONCE = bytes(16)
        modes.CBC(IV)
        modes.CTR(nonce=NONCE)
        modes.GCM(bytes(12))
      `,
      errors: [
        { line: 4, messageId: 'staticIv', severity: 'medium' },
        { line: 5, messageId: 'staticIv', severity: 'high' },
        { line: 6, messageId: 'staticIv', severity: 'high' },
      ],
    },
    {
      name: 'pycryptodome iv and nonce',
      code: `
        from Crypto.Cipher import AES, ChaCha20
        AES.new(key, AES.MODE_CBC, iv=b"1234567890123456")
        AES.new(key, AES.MODE_CBC, b"1234567890123456")
        AES.new(key, AES.MODE_GCM, nonce=b"123456789012")
        ChaCha20.new(key=key, nonce=b"12345678")
      `,
      errors: [
        { line: 2, messageId: 'staticIv', severity: 'medium' },
        { line: 3, messageId: 'staticIv', severity: 'medium' },
        { line: 4, messageId: 'staticIv', severity: 'high' },
        { line: 5, messageId: 'staticIv', severity: 'high' },
      ],
    },
    {
      name: 'AEAD encrypt with a fixed nonce',
      code: `
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM, ChaCha20Poly1305
        NONCE = b"fixednonce12"
        aes = AESGCM(key)
        aes.encrypt(NONCE, data, None)
        ChaCha20Poly1305(key).encrypt(b"000000000000", data, None)
      `,
      errors: [
        { line: 4, messageId: 'staticIv' },
        { line: 5, messageId: 'staticIv' },
      ],
    },
    {
      name: 'ChaCha20 stream cipher with a fixed nonce',
      code: 'from cryptography.hazmat.primitives.ciphers import algorithms\nalgorithms.ChaCha20(key, b"0123456789abcdef")',
      errors: [{ line: 2, messageId: 'staticIv' }],
    },
  ],
});
