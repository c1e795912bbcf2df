import rule from '../../src/rules/sensitive-data/weak-key-size.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'from cryptography.hazmat.primitives.asymmetric import rsa\nrsa.generate_private_key(public_exponent=65537, key_size=2048)',
    'from cryptography.hazmat.primitives.asymmetric import rsa\nrsa.generate_private_key(65537, 4096)',
    { name: 'size of unknown value', code: 'from cryptography.hazmat.primitives.asymmetric import rsa\ndef gen(bits):\n    return rsa.generate_private_key(65537, bits)' },
    { name: 'size from settings', code: 'from Crypto.PublicKey import RSA\nRSA.generate(settings.KEY_BITS)' },
    { name: 'name rebound', code: 'from Crypto.PublicKey import RSA\nBITS = 1024\nBITS = 4096\nRSA.generate(BITS)' },
    { name: 'public exponent is not the size', code: 'from cryptography.hazmat.primitives.asymmetric import rsa\nrsa.generate_private_key(key_size=3072, public_exponent=3)' },
    { name: 'strong curves', code: 'from cryptography.hazmat.primitives.asymmetric import ec\nec.generate_private_key(ec.SECP256R1())\nec.generate_private_key(ec.SECP384R1())' },
    { name: 'unrelated generate', code: 'RSA.generate(1024)\nkeys.generate(512)\nrandom.getrandbits(128)' },
    { name: 'local RSA class', code: 'class RSA:\n    @staticmethod\n    def generate(n): ...\nRSA.generate(1024)' },
    { name: 'pyOpenSSL with a strong key', code: 'from OpenSSL import crypto\nk = crypto.PKey()\nk.generate_key(crypto.TYPE_RSA, 2048)' },
    { name: 'symmetric key sizes are not this rule', code: 'from cryptography.hazmat.primitives.ciphers.aead import AESGCM\nAESGCM.generate_key(bit_length=128)' },
  ],
  invalid: [
    {
      code: 'from cryptography.hazmat.primitives.asymmetric import rsa\nkey = rsa.generate_private_key(public_exponent=65537, key_size=1024)',
      errors: [{ line: 2, column: 64, messageId: 'smallKey', severity: 'medium' }],
      output: 'from cryptography.hazmat.primitives.asymmetric import rsa\nkey = rsa.generate_private_key(public_exponent=65537, key_size=2048)',
    },
    {
      name: 'positional size, module alias',
      code: 'import cryptography.hazmat.primitives.asymmetric.rsa as r\nr.generate_private_key(65537, 512)',
      errors: [{ line: 2, messageId: 'smallKey', severity: 'high' }],
      output: 'import cryptography.hazmat.primitives.asymmetric.rsa as r\nr.generate_private_key(65537, 2048)',
    },
    {
      name: 'size bound once to a constant (no fix)',
      code: 'from cryptography.hazmat.primitives.asymmetric import dsa\nKEY_BITS = 1024\ndsa.generate_private_key(KEY_BITS)',
      errors: [{ line: 3, messageId: 'smallKey' }],
      output: null,
    },
    {
      name: 'Diffie-Hellman parameters',
      code: 'from cryptography.hazmat.primitives.asymmetric import dh\ndh.generate_parameters(generator=2, key_size=1_024)',
      errors: [{ line: 2, messageId: 'smallKey' }],
      output: 'from cryptography.hazmat.primitives.asymmetric import dh\ndh.generate_parameters(generator=2, key_size=2048)',
    },
    {
      name: 'weak curves',
      code: `
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.asymmetric.ec import SECT163K1
        ec.generate_private_key(ec.SECP192R1())
        ec.generate_private_key(curve=SECT163K1())
        ec.derive_private_key(secret, ec.SECT163R2())
      `,
      errors: [
        { line: 3, messageId: 'weakCurve' },
        { line: 4, messageId: 'weakCurve' },
        { line: 5, messageId: 'weakCurve' },
      ],
      output: null,
    },
    {
      name: 'pycryptodome',
      code: 'from Crypto.PublicKey import RSA\nfrom Cryptodome.PublicKey import DSA as D\nRSA.generate(1024)\nD.generate(bits=1024)',
      errors: [
        { line: 3, messageId: 'smallKey' },
        { line: 4, messageId: 'smallKey' },
      ],
      output: 'from Crypto.PublicKey import RSA\nfrom Cryptodome.PublicKey import DSA as D\nRSA.generate(2048)\nD.generate(bits=2048)',
    },
    {
      name: 'paramiko',
      code: 'import paramiko\nparamiko.RSAKey.generate(bits=1024)\nparamiko.DSSKey.generate(1024)',
      errors: [
        { line: 2, messageId: 'smallKey' },
        { line: 3, messageId: 'smallKey' },
      ],
      output: 'import paramiko\nparamiko.RSAKey.generate(bits=2048)\nparamiko.DSSKey.generate(1024)',
    },
    {
      name: 'pyOpenSSL PKey',
      code: 'from OpenSSL import crypto\nk = crypto.PKey()\nk.generate_key(crypto.TYPE_RSA, 1024)',
      errors: [{ line: 3, messageId: 'smallKey' }],
    },
  ],
});
