import rule from '../../src/rules/secure-coding/password-fast-hash.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'file contents', code: 'import hashlib\nhashlib.md5(open(path, "rb").read()).hexdigest()' },
    { name: 'cache key', code: 'import hashlib\nkey = hashlib.sha256(url.encode()).hexdigest()' },
    { name: 'pbkdf2 and scrypt', code: 'import hashlib\nhashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000)\nhashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)' },
    { name: 'bcrypt and argon2', code: 'import bcrypt\nfrom argon2 import PasswordHasher\nbcrypt.hashpw(password, bcrypt.gensalt())\nPasswordHasher().hash(password)' },
    { name: 'reset token (high entropy) may use sha256', code: 'import hashlib\nhashlib.sha256(password_reset_token.encode()).hexdigest()' },
    { name: 'password-named non-passwords', code: 'import hashlib\nhashlib.md5(str(password_length).encode())\nhashlib.sha1(user.password_hash.encode())\nhashlib.md5(PASSWORD_FILE)' },
    { name: 'words that contain pass', code: 'import hashlib\nhashlib.md5(compass)\nhashlib.md5(bypass_flag)\nhashlib.md5(passenger.name)' },
    { name: 'update of unrelated data', code: 'import hashlib\nh = hashlib.sha256()\nh.update(chunk)' },
    { name: 'update on unknown object', code: 'settings.update(password)\ncache.update(password=password)' },
    { name: 'shadowed hashlib', code: 'def f(hashlib, password):\n    return hashlib.md5(password)' },
    { name: 'local md5 function', code: 'def md5(x):\n    return x\nmd5(password)' },
    { name: 'hashlib.new of a slow hash name is unknown', code: 'import hashlib\nhashlib.new(algo, password)' },
  ],
  invalid: [
    {
      name: 'sha256 of password.encode()',
      code: 'import hashlib\ndigest = hashlib.sha256(password.encode()).hexdigest()',
      errors: [{ line: 2, column: 10, messageId: 'fastHash' }],
      output: null,
    },
    {
      name: 'aliases',
      code: 'import hashlib as h\nfrom hashlib import md5 as M\nh.sha1(user.password)\nM(pwd)',
      errors: [
        { line: 3, messageId: 'fastHash' },
        { line: 4, messageId: 'fastHash' },
      ],
    },
    {
      name: 'salted f-string and concatenation',
      code: 'import hashlib\nhashlib.sha512(f"{salt}{password}".encode())\nhashlib.md5((SALT + new_password).encode("utf-8"))',
      errors: [
        { line: 2, messageId: 'fastHash' },
        { line: 3, messageId: 'fastHash' },
      ],
    },
    {
      name: 'form key and lookup',
      code: 'import hashlib\ndef v(request):\n    hashlib.md5(request.POST["passwd"].encode())\n    hashlib.sha256(request.form.get("password").encode())',
      errors: [
        { line: 3, messageId: 'fastHash' },
        { line: 4, messageId: 'fastHash' },
      ],
    },
    {
      name: 'hashlib.new and sha3/blake2',
      code: 'import hashlib\nhashlib.new("md5", password)\nhashlib.new("sha256", data=passphrase)\nhashlib.sha3_256(userPassword)\nhashlib.blake2b(password, digest_size=32)',
      errors: [
        { line: 2, messageId: 'fastHash' },
        { line: 3, messageId: 'fastHash' },
        { line: 4, messageId: 'fastHash' },
        { line: 5, messageId: 'fastHash' },
      ],
    },
    {
      name: 'update() on a hash object',
      code: 'import hashlib\nh = hashlib.sha256()\nh.update(salt)\nh.update(password.encode())\nhashlib.md5().update(form.password.data)',
      errors: [
        { line: 4, messageId: 'fastHash' },
        { line: 5, messageId: 'fastHash' },
      ],
    },
    {
      name: 'through a name',
      code: 'import hashlib\ndef store(user, raw_password):\n    data = raw_password.encode()\n    user.pw = hashlib.md5(data).hexdigest()',
      errors: [{ line: 4, messageId: 'fastHash' }],
    },
  ],
});
