import rule from '../../src/rules/sensitive-data/jwt-verify-disabled.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    'import jwt\njwt.decode(token, key, algorithms=["HS256"])',
    'import jwt\njwt.decode(token, key, algorithms=["RS256"], options={"verify_signature": True})',
    { name: 'other options only', code: 'import jwt\njwt.decode(token, key, algorithms=["HS256"], options={"require": ["exp"]})' },
    { name: 'reading the header is legitimate', code: 'import jwt\nheader = jwt.get_unverified_header(token)' },
    { name: 'options built at run time', code: 'import jwt\ndef f(token, opts):\n    return jwt.decode(token, key, algorithms=["HS256"], options=opts)' },
    { name: 'options reassigned', code: 'import jwt\nopts = {"verify_signature": False}\nopts = load()\njwt.decode(token, key, options=opts)' },
    { name: 'verify from a variable', code: 'import jwt\ndef f(token, check):\n    return jwt.decode(token, key, verify=check)' },
    { name: 'verify True', code: 'import jwt\njwt.decode(token, key, verify=True, algorithms=["HS256"])' },
    { name: 'shadowed jwt', code: 'import jwt\ndef f(jwt):\n    return jwt.decode(token, options={"verify_signature": False})' },
    { name: 'local module named jwt', code: 'class jwt:\n    pass\njwt.decode(token, verify=False)' },
    { name: 'look-alike decode', code: 'token.decode("utf-8")\nbase64.b64decode(data)\nimport json\njson.decoder.JSONDecoder().decode(s)' },
    { name: '"none" elsewhere', code: 'import jwt\njwt.decode(token, key, algorithms=["HS256"], audience="none")' },
    { name: 'python-jose verified', code: 'from jose import jwt\njwt.decode(token, key, algorithms=["HS256"])' },
    { name: 'encode with none is another matter', code: 'import jwt\njwt.encode(payload, None, algorithm="none")' },
  ],
  invalid: [
    {
      code: 'import jwt\nclaims = jwt.decode(token, options={"verify_signature": False})',
      errors: [{ line: 2, column: 28, messageId: 'options' }],
      output: null,
    },
    {
      name: 'PyJWT 1.x verify=False',
      code: 'import jwt\nclaims = jwt.decode(token, verify=False)',
      errors: [{ line: 2, messageId: 'verify' }],
    },
    {
      name: 'none algorithm alone',
      code: 'import jwt\njwt.decode(token, key, algorithms=["none"])',
      errors: [{ line: 2, messageId: 'none' }],
    },
    {
      name: 'none among others, any case',
      code: 'import jwt\njwt.decode(token, key, algorithms=("HS256", "None"))',
      errors: [{ line: 2, messageId: 'none' }],
    },
    {
      name: 'import alias and decode_complete',
      code: 'import jwt as pyjwt\npyjwt.decode_complete(token, options={"verify_signature": False, "verify_exp": False})',
      errors: [{ line: 2, messageId: 'options' }],
    },
    {
      name: 'from-import alias',
      code: 'from jwt import decode as jwt_decode\njwt_decode(token, verify=False)',
      errors: [{ line: 2, messageId: 'verify' }],
    },
    {
      name: 'python-jose',
      code: 'from jose import jwt\njwt.decode(token, key, options={"verify_signature": False})',
      errors: [{ line: 2, messageId: 'options' }],
    },
    {
      name: 'python-jose module import',
      code: 'import jose.jwt\njose.jwt.decode(token, key, options={"verify_signature": False})',
      errors: [{ line: 2, messageId: 'options' }],
    },
    {
      name: 'options and algorithms bound once',
      code: `
        import jwt
        NO_VERIFY = {"verify_signature": False}
        ALGS = ["HS256", "none"]
        def load(token):
            return jwt.decode(token, KEY, algorithms=ALGS, options=NO_VERIFY)
      `,
      errors: [
        { line: 5, messageId: 'none' },
        { line: 5, messageId: 'options' },
      ],
    },
  ],
});
