import rule from '../../src/rules/secure-coding/weak-password-hasher.js';
import { ruleTester } from '../helpers/rule-tester.js';

const MD5_FIRST = 'PASSWORD_HASHERS = [\n    "django.contrib.auth.hashers.MD5PasswordHasher",\n    "django.contrib.auth.hashers.PBKDF2PasswordHasher",\n]';

ruleTester(rule, {
  valid: [
    {
      name: 'strong hasher first, MD5 kept for old hashes',
      path: 'proj/settings.py',
      code: 'PASSWORD_HASHERS = [\n    "django.contrib.auth.hashers.Argon2PasswordHasher",\n    "django.contrib.auth.hashers.MD5PasswordHasher",\n]',
    },
    { name: 'test settings module', path: 'proj/settings/test.py', code: MD5_FIRST },
    { name: 'test_settings.py', path: 'proj/test_settings.py', code: MD5_FIRST },
    { name: 'settings_ci.py', path: 'proj/settings_ci.py', code: MD5_FIRST },
    { name: 'tests folder', path: 'tests/settings.py', code: MD5_FIRST },
    {
      name: 'under if "test" in sys.argv',
      path: 'proj/settings.py',
      code: 'import sys\nif "test" in sys.argv:\n    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]',
    },
    { name: 'local variable named like the setting', code: 'def f():\n    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]\n    return PASSWORD_HASHERS' },
    {
      name: 'passlib with a strong default and deprecated legacy schemes',
      code: 'from passlib.context import CryptContext\nctx = CryptContext(schemes=["bcrypt", "md5_crypt"], deprecated="auto")\nctx2 = CryptContext(schemes=["md5_crypt", "argon2"], default="argon2")',
    },
    { name: 'passlib verify of old hashes', code: 'from passlib.hash import md5_crypt\nmd5_crypt.verify(password, stored)' },
    {
      name: 'werkzeug defaults and strong methods',
      code: 'from werkzeug.security import generate_password_hash\ngenerate_password_hash(pw)\ngenerate_password_hash(pw, method="scrypt")\ngenerate_password_hash(pw, "pbkdf2:sha256:600000")\ngenerate_password_hash(pw, method="pbkdf2:sha256")',
    },
    { name: 'bcrypt default and 12 rounds', code: 'import bcrypt\nbcrypt.gensalt()\nbcrypt.gensalt(rounds=12)\nbcrypt.gensalt(14)' },
    {
      name: 'pbkdf2 on a key (not a password) and enough iterations',
      code: 'import hashlib\nhashlib.pbkdf2_hmac("sha256", master_key, salt, 1)\nhashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)',
    },
    { name: 'look-alike local gensalt and CryptContext', code: 'def gensalt(rounds):\n    return rounds\ngensalt(4)\nclass CryptContext:\n    pass\nCryptContext(schemes=["md5_crypt"])' },
  ],
  invalid: [
    {
      name: 'django MD5 first',
      path: 'proj/settings.py',
      code: MD5_FIRST,
      errors: [{ line: 2, column: 5, messageId: 'djangoHasher' }],
      output: null,
    },
    {
      name: 'django tuple, class-level config, constant entries',
      path: 'proj/settings/production.py',
      code: 'SHA1 = "django.contrib.auth.hashers.UnsaltedSHA1PasswordHasher"\nPASSWORD_HASHERS = (SHA1,)\nclass Prod:\n    PASSWORD_HASHERS = ["django.contrib.auth.hashers.CryptPasswordHasher"]',
      errors: [
        { line: 2, messageId: 'djangoHasher' },
        { line: 4, messageId: 'djangoHasher' },
      ],
    },
    {
      name: 'dev settings get low confidence',
      path: 'proj/settings/local.py',
      code: 'PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]',
      errors: [{ line: 1, messageId: 'djangoHasher' }],
    },
    {
      name: 'passlib weak default scheme',
      code: 'from passlib.context import CryptContext\npwd_context = CryptContext(schemes=["md5_crypt", "bcrypt"])\nctx = CryptContext(schemes=["bcrypt", "plaintext"], default="plaintext")',
      errors: [
        { line: 2, messageId: 'passlibScheme' },
        { line: 3, messageId: 'passlibScheme' },
      ],
    },
    {
      name: 'passlib weak scheme used directly',
      code: 'from passlib.hash import hex_md5, ldap_md5\nimport passlib.hash\nhex_md5.hash(password)\npasslib.hash.des_crypt.encrypt(password)',
      errors: [
        { line: 3, messageId: 'passlibHash' },
        { line: 4, messageId: 'passlibHash' },
      ],
    },
    {
      name: 'werkzeug plain, digest and low-iteration pbkdf2',
      code: 'from werkzeug.security import generate_password_hash as gph\ngph(pw, method="plain")\ngph(pw, "sha1")\ngph(pw, method="pbkdf2:sha256:1000")',
      errors: [
        { line: 2, messageId: 'werkzeugMethod' },
        { line: 3, messageId: 'werkzeugMethod' },
        { line: 4, messageId: 'pbkdf2Iterations' },
      ],
    },
    {
      name: 'bcrypt low rounds',
      code: 'import bcrypt\nROUNDS = 4\nbcrypt.hashpw(pw, bcrypt.gensalt(rounds=ROUNDS))\nbcrypt.gensalt(8)',
      errors: [
        { line: 3, messageId: 'bcryptRounds' },
        { line: 4, messageId: 'bcryptRounds' },
      ],
    },
    {
      name: 'pbkdf2 with few iterations on a password',
      code: 'import hashlib\nfrom cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC\nhashlib.pbkdf2_hmac("sha256", password.encode(), salt, 1000)\nkdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=10_000)',
      errors: [
        { line: 3, column: 56, messageId: 'pbkdf2Iterations' },
        { line: 4, messageId: 'pbkdf2Iterations' },
      ],
    },
  ],
});
