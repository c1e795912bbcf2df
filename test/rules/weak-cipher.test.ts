import rule from '../../src/rules/sensitive-data/weak-cipher.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'from Crypto.Cipher import AES\nAES.new(key, AES.MODE_GCM)',
    'from Cryptodome.Cipher import ChaCha20_Poly1305\nChaCha20_Poly1305.new(key=key)',
    'from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes\nCipher(algorithms.AES(key), modes.GCM(iv))',
    'from cryptography.hazmat.primitives.ciphers import algorithms\nalgorithms.ChaCha20(key, nonce)',
    {
      name: 'referencing the class without creating a cipher',
      code: 'from cryptography.hazmat.primitives.ciphers import algorithms\nif isinstance(alg, algorithms.TripleDES):\n    reject()',
    },
    { name: 'unrelated DES object', code: 'DES.new(key)\nmy.crypto.DES.new(key)' },
    { name: 'local class shadowing the import', code: 'from Crypto.Cipher import DES\ndef f():\n    class DES:\n        @staticmethod\n        def new(k): ...\n    return DES.new(k)' },
    { name: 'hash module with a similar name', code: 'from Crypto.Hash import SHA256\nSHA256.new(data)' },
    { name: 'triple_des from another library', code: 'from mylib import triple_des\ntriple_des(key)' },
  ],
  invalid: [
    {
      code: 'from Crypto.Cipher import DES\ncipher = DES.new(key, DES.MODE_CBC, iv)',
      errors: [{ line: 2, column: 10, messageId: 'broken', severity: 'high' }],
      output: null,
    },
    {
      name: 'module import of Cryptodome',
      code: 'import Cryptodome.Cipher.ARC4\nc = Cryptodome.Cipher.ARC4.new(key)',
      errors: [{ line: 2, messageId: 'broken' }],
    },
    {
      name: 'aliases',
      code: 'from Crypto.Cipher import DES3 as TDES, Blowfish\nfrom Crypto.Cipher import XOR\nTDES.new(key, TDES.MODE_CBC)\nBlowfish.new(key, Blowfish.MODE_CBC)\nXOR.new(key)',
      errors: [
        { line: 3, messageId: 'smallBlock', severity: 'medium' },
        { line: 4, messageId: 'smallBlock' },
        { line: 5, messageId: 'broken' },
      ],
    },
    {
      name: 'cryptography algorithms',
      code: `
        from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
        Cipher(algorithms.TripleDES(key), modes.CBC(iv))
        Cipher(algorithms.ARC4(key), mode=None)
        algorithms.IDEA(key)
      `,
      errors: [
        { line: 2, messageId: 'smallBlock' },
        { line: 3, messageId: 'broken' },
        { line: 4, messageId: 'smallBlock' },
      ],
    },
    {
      name: 'cryptography decrepit module',
      code: 'from cryptography.hazmat.decrepit.ciphers.algorithms import SEED, CAST5 as C\nSEED(key)\nC(key)',
      errors: [
        { line: 2, messageId: 'legacy', severity: 'low' },
        { line: 3, messageId: 'smallBlock' },
      ],
    },
    {
      name: 'pyDes',
      code: 'import pyDes\nk = pyDes.des(b"DESCRYPT", pyDes.CBC, iv)\nt = pyDes.triple_des(key)',
      errors: [
        { line: 2, messageId: 'broken' },
        { line: 3, messageId: 'smallBlock' },
      ],
    },
  ],
});
