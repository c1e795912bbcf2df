import { describe, expect, it } from '@jest/globals';
import rule from '../../src/rules/sensitive-data/hardcoded-password.js';
import { ruleTester, run } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'empty strings', code: 'password = ""\nSECRET_KEY = ""\ndef login(user, password=""): ...' },
    { name: 'read from the environment', code: 'import os\npassword = os.environ["DB_PASSWORD"]\ntoken = os.getenv("API_TOKEN")' },
    {
      name: 'placeholders',
      code: `
        password = "<password>"
        db_password = "\${DB_PASSWORD}"
        api_key = "your-api-key-here"
        API_TOKEN = "xxxxxxxxxxxxxxxx"
        secret = "********"
        client_secret = "TODO"
        PASSWORD = "None"
        token = "{token}"
        passwd = "%(password)s"
      `,
    },
    { name: 'label equal to the name', code: 'password = "password"\nform = {"password": "Password"}\nfield(passwd="passwd")' },
    { name: 'field names as values', code: 'PASSWORD_FIELD = "user_password"\nlogin(password="new-password")\nINPUT = {"password": "id_password"}' },
    {
      name: 'names describing a secret, not holding one',
      code: `
        PASSWORD_RESET_TIMEOUT = "259200"
        TOKEN_TYPE = "bearer"
        token_url = "https://oauth2.example.com/token"
        secret_name = "prod/db/credentials-7f3a9"
        password_hash_algorithm = "pbkdf2_sha256"
        DB_PASSWORD_ENV = "DB_PASSWORD"
        AUTH_TOKEN_VAR = "GITHUB_TOKEN"
        PASSWORD_HASHERS = "django.contrib.auth.hashers.Argon2PasswordHasher"
        password_prompt = "Enter password:"
        next_token = "eyJ2IjoxLCJrIjoiYWJjIn0xYz"
      `,
    },
    { name: 'generic token name with a word value', code: 'token = "IDENTIFIER"\nsecret = "classified"\nkind_token = "LPAREN"' },
    { name: 'tokenizer special tokens', code: 'tok = Tokenizer(pad_token="[PAD]", eos_token="</s>", unk_token="<unk>")' },
    { name: 'env var name as value', code: 'PASSWORD = "POSTGRES_PASSWORD"' },
    { name: 'paths and URLs', code: 'private_key = "/etc/ssl/private/server.key"\napi_key = "keys/api.json"\nsecret = "https://vault.example.com/v1/secret"' },
    { name: 'password hash (the safe way to store one)', code: 'ADMIN_PASSWORD = "pbkdf2_sha256$600000$Xa1b2c$Zm9vYmFyYmF6cXV4"\nc.NotebookApp.password = "sha1:9e6f5f2b1a3c:4f1d8e2a7b"' },
    { name: 'password with spaces is a message', code: 'password = "Please choose a stronger password"' },
    { name: 'test files are skipped', path: 'tests/test_login.py', code: 'password = "hunter22"\nclient.login(password="S3cure!pass")' },
    { name: 'conftest is a test file', path: 'app/conftest.py', code: 'DB_PASSWORD = "postgres123"' },
    { name: 'built at run time', code: 'password = f"{prefix}-{suffix}"\ntoken = "abc" + suffix' },
    { name: 'short password', code: 'password = "abc1"' },
    { name: 'unrelated comparisons', code: 'if token_type == "bearer": pass\nif field.name == "password": pass\nif password == "": pass' },
    { name: 'pass as a verb', code: 'pass_through = "enabled-always-1"\nbypass = "kQ9#vL2mX8pZ4wT7"' },
    { name: 'known token formats are left to hardcoded-secret', code: `GITHUB_TOKEN = "${['gh', 'p_', 'R8sVq2LmX9tKwZ4pN7bYcJ1eHfA3uD6gTiQo'].join('')}"` },
    {
      name: 'secret manager references and shell defaults',
      code: 'DB_PASSWORD_SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/db-AbCdEf"\nAPI_TOKEN_REF = "projects/acme-prod/secrets/api-token/versions/latest"\ndb_password = "${DB_PASSWORD:-postgres}"',
    },
    { name: 'a key name as the value', code: 'env = {"AWS_SECRET_ACCESS_KEY": "secret_key", "AWS_ACCESS_KEY_ID": "access_key"}' },
    { name: 'test utility modules are test files', path: 'pkg/testutils.py', code: 'PASSWORD = "hunter22"' },
    { name: 'type names are not variable names', code: 'IDS = {"AWS::AppSync::ApiKey": "3d104ea0be48564b"}' },
    { name: 'status values', code: 'password_last_used = "not_supported"\nself.update_token = "1a2b3c4d-5e6f-7a8b"\nstatus = {"password": "not-set-yet"}' },
    { name: 'lexer token compared with a keyword', code: 'for token in tokens:\n    if token == "root":\n        continue' },
    { name: 'authorization header with a variable', code: 'headers = {"Authorization": f"Bearer {token}"}\nh = {"Authorization": "Bearer <token>"}' },
  ],
  invalid: [
    {
      code: 'DATABASE_PASSWORD = "s3cr3t-Pr0d!"',
      errors: [{ line: 1, column: 21, messageId: 'assigned' }],
      output: null,
    },
    {
      name: 'attribute and subscript targets',
      code: 'app.secret_key = "k8#Jd9!vQ2@zLm4$Xw7&"\napp.config["SECRET_KEY"] = "Zq81-xkW-29fa-77Lm-Qp0r"\nself.password = "tiger2000"',
      errors: [
        { line: 1, messageId: 'assigned' },
        { line: 2, messageId: 'assigned' },
        { line: 3, messageId: 'assigned' },
      ],
    },
    {
      name: 'annotated assignment, camelCase name',
      code: 'dbPassword: str = "Winter2024"',
      errors: [{ line: 1, messageId: 'assigned' }],
    },
    {
      name: 'keyword argument',
      code: 'import psycopg2\nconn = psycopg2.connect(host="db", user="app", password="app-Pa55word")',
      errors: [{ line: 2, messageId: 'argument' }],
    },
    {
      name: 'dictionary entry',
      code: 'DATABASES = {"default": {"USER": "app", "PASSWORD": "Db-Passw0rd-1"}}',
      errors: [{ line: 1, messageId: 'assigned' }],
    },
    {
      name: 'parameter defaults',
      code: 'def connect(user, password="hunter22"):\n    ...\ndef sign(data, signing_key: str = "9f8e7d6c5b4a3f2e1d0c"):\n    ...',
      errors: [
        { line: 1, messageId: 'parameterDefault' },
        { line: 3, messageId: 'parameterDefault' },
      ],
    },
    {
      name: 'comparison with a literal password',
      code: 'def check(request):\n    if request.form["password"] == "Adm1nPass":\n        grant()\n    if "letmein" == pwd:\n        grant()',
      errors: [
        { line: 2, messageId: 'compared' },
        { line: 4, messageId: 'compared' },
      ],
    },
    {
      name: 'environment fallback (Django SECRET_KEY)',
      code: 'import os\nSECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "django-insecure-7h$k2!q9zv@x3m8w#pl4")',
      errors: [{ line: 2, messageId: 'fallback' }],
    },
    {
      name: 'getenv alias fallback',
      code: 'from os import getenv as env\nDB = env("DB_PASSWORD", "localdev123")',
      errors: [{ line: 2, messageId: 'fallback' }],
    },
    {
      name: 'well-known defaults are reported despite their length',
      code: 'ADMIN_PASSWORD = "admin"\nSECRET_KEY = "changeme"',
      errors: [
        { line: 1, messageId: 'assigned' },
        { line: 2, messageId: 'assigned' },
      ],
    },
    {
      name: 'random token under a generic name',
      code: 'API_TOKEN = "3f9a7c1e5b2d8f4a6c0e9b7d"\nBOT_TOKEN = "MTA5Njg3NDk0.Gx7_Lq.k2Jd9vQ2zLm4Xw7pR"',
      errors: [
        { line: 1, messageId: 'assigned' },
        { line: 2, messageId: 'assigned' },
      ],
    },
    {
      name: 'hard-coded Authorization header',
      code: 'headers = {"Authorization": "Bearer 9f3a7c1e5b2d8f4a6c0e9b7d1a2b"}',
      errors: [{ line: 1, messageId: 'assigned' }],
    },
  ],
});

describe('hardcoded-password messages', () => {
  it('never contain the value', () => {
    const code = 'DATABASE_PASSWORD = "s3cr3t-Pr0d!"\nconnect(password="app-Pa55word")\nSECRET_KEY = os.environ.get("SECRET_KEY", "django-insecure-7h$k2")';
    const found = run(rule, `import os\n${code}`).findings;
    expect(found.length).toBe(3);
    for (const f of found) {
      expect(f.message).not.toMatch(/s3cr3t|Pa55word|insecure-7h/);
    }
  });
});
