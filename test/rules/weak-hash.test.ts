import rule from '../../src/rules/sensitive-data/weak-hash.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'file checksum', code: 'import hashlib\ndef file_md5(path):\n    with open(path, "rb") as f:\n        return hashlib.md5(f.read()).hexdigest()' },
    { name: 'etag and cache key', code: 'import hashlib\netag = hashlib.sha1(body).hexdigest()\ncache_key = "v1:" + hashlib.md5(url.encode()).hexdigest()' },
    { name: 'usedforsecurity=False', code: 'import hashlib\ntoken = hashlib.md5(data, usedforsecurity=False).hexdigest()' },
    { name: 'purpose unknown: silent', code: 'import hashlib\nh = hashlib.md5(data).hexdigest()\nprint(hashlib.sha1(b"x").hexdigest())' },
    { name: 'gravatar', code: 'import hashlib\ndef avatar_url(email):\n    digest = hashlib.md5(email.lower().encode()).hexdigest()\n    return f"https://www.gravatar.com/avatar/{digest}"' },
    { name: 'passwords are password-fast-hash\'s', code: 'import hashlib\npassword_hash = hashlib.md5(password.encode()).hexdigest()\ndef sign_in(user, pwd):\n    return hashlib.sha1(pwd).hexdigest() == user.pw' },
    { name: 'strong hashes', code: 'import hashlib\nsignature = hashlib.sha256(SECRET_KEY + payload).hexdigest()\ntoken = hashlib.new("sha256", data).hexdigest()' },
    { name: 'HMAC-SHA1 (TOTP, OAuth 1.0, webhooks)', code: 'import hmac, hashlib\nsig = hmac.new(key, msg, hashlib.sha1).hexdigest()\nhmac.new(key, msg, digestmod="sha1")' },
    { name: 'shadowed and local look-alikes', code: 'def md5(x):\n    return x\ntoken = md5(secret)\ndef f(hashlib):\n    signature = hashlib.md5(x)' },
    { name: 'content dedupe in a token-named function', code: 'import hashlib\ndef tokenize(doc):\n    content_hash = hashlib.md5(doc.text.encode()).hexdigest()' },
    { name: 'tokens that are not credentials', code: 'from hashlib import md5\nclass T:\n    def _generate_version_token(self):\n        return md5(uuid4().bytes).hexdigest()\nnext_page_token = md5(str(offset).encode()).hexdigest()' },
    { name: 'test file', path: 'tests/test_auth.py', code: 'import hashlib\nsignature = hashlib.md5(SECRET_KEY + body).hexdigest()' },
    { name: 'sign_up is not a signature', code: 'import hashlib\ndef sign_up(email):\n    h = hashlib.md5(email.encode()).hexdigest()' },
    { name: 'cryptography SHA1 outside signatures', code: 'from cryptography.hazmat.primitives import hashes\nfrom cryptography.hazmat.primitives.asymmetric import padding\npadding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA1()), algorithm=hashes.SHA1(), label=None)\nh = hashes.Hash(hashes.SHA1())' },
  ],
  invalid: [
    {
      name: 'secret-prefix signature returned from sign()',
      code: 'import hashlib\n\ndef sign(payload):\n    return hashlib.md5(SECRET_KEY + payload).hexdigest()',
      errors: [{ line: 4, column: 12, messageId: 'weakHash' }],
      output: null,
    },
    {
      name: 'named targets',
      code: 'import hashlib\nsignature = hashlib.sha1(data).hexdigest()\nsession["csrf_token"] = hashlib.md5(os.urandom(16)).hexdigest()\nuser.activation_key = hashlib.sha1(salt + email).hexdigest()[:20]',
      errors: [
        { line: 2, messageId: 'weakHash' },
        { line: 3, messageId: 'weakHash' },
        { line: 4, messageId: 'weakHash' },
      ],
    },
    {
      name: 'aliases and hashlib.new',
      code: 'import hashlib as h\nfrom hashlib import md5 as M\napi_key = M(seed).hexdigest()\nreset_token = h.new("sha1", data).hexdigest()',
      errors: [
        { line: 3, messageId: 'weakHash' },
        { line: 4, messageId: 'weakHash' },
      ],
    },
    {
      name: 'compared in constant time or against a signature',
      code: 'import hashlib, hmac\ndef check(body, header):\n    expected = hashlib.md5(body).hexdigest()\n    ok = hmac.compare_digest(hashlib.sha1(body).hexdigest(), header)\n    return hashlib.md5(body).hexdigest() == request.headers["X-Signature"]',
      errors: [
        { line: 4, messageId: 'weakHash' },
        { line: 5, messageId: 'weakHash' },
      ],
    },
    {
      name: 'function name gives the purpose',
      code: 'import hashlib\ndef generate_verification_code(user):\n    h = hashlib.md5()\n    digest = hashlib.sha1(str(user.id).encode()).hexdigest()\n    return digest[:6]',
      errors: [
        { line: 3, messageId: 'weakHash' },
        { line: 4, messageId: 'weakHash' },
      ],
    },
    {
      name: 'keyword and dict key',
      code: 'import hashlib\nmake_link(token=hashlib.md5(x).hexdigest())\nresp = {"nonce": hashlib.sha1(x).hexdigest()}',
      errors: [
        { line: 2, messageId: 'weakHash' },
        { line: 3, messageId: 'weakHash' },
      ],
    },
    {
      name: 'PyCryptodome',
      code: 'from Crypto.Hash import MD5, SHA\nsignature = MD5.new(msg).hexdigest()\nauth_digest = SHA.new(msg).digest()',
      errors: [
        { line: 2, messageId: 'weakHash' },
        { line: 3, messageId: 'weakHash' },
      ],
    },
    {
      name: 'HMAC-MD5 (low)',
      code: 'import hmac, hashlib\nsig = hmac.new(key, msg, hashlib.md5).hexdigest()\nhmac.new(key, msg, digestmod="md5")',
      errors: [
        { line: 2, messageId: 'hmacMd5', severity: 'low' },
        { line: 3, messageId: 'hmacMd5', severity: 'low' },
      ],
    },
    {
      name: 'cryptography SHA1 in a signature',
      code: 'from cryptography.hazmat.primitives import hashes\nfrom cryptography.hazmat.primitives.asymmetric import padding, ec\nsig = private_key.sign(data, padding.PKCS1v15(), hashes.SHA1())\nkey.sign(data, ec.ECDSA(hashes.SHA1()))\ncert = builder.sign(private_key=key, algorithm=hashes.MD5())',
      errors: [
        { line: 3, messageId: 'weakSignature' },
        { line: 4, messageId: 'weakSignature' },
        { line: 5, messageId: 'weakSignature' },
      ],
    },
  ],
});
