import rule from '../../src/rules/secure-coding/plaintext-password-stored.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    {
      name: 'hashed before storing',
      code: 'from werkzeug.security import generate_password_hash\ndef register(form):\n    user = User(email=form.email.data, password=generate_password_hash(form.password.data))\n    user.password = generate_password_hash(password)',
    },
    {
      name: 'password re-bound to its hash',
      code: 'import bcrypt\ndef register(username, password):\n    password = bcrypt.hashpw(password.encode(), bcrypt.gensalt())\n    user = User(username=username, password=password)\n    user.password = password',
    },
    {
      name: 'django helpers that hash',
      code: 'from django.contrib.auth.hashers import make_password\ndef f(request, password):\n    User.objects.create_user("bob", password=password)\n    User.objects.create(username="bob", password=make_password(password))\n    request.user.set_password(password)\n    request.user.set_unusable_password()',
    },
    { name: 'hash-named fields', code: 'def f(user, hashed):\n    user.password_hash = hashed\n    user.password_hash = ph.hash(password)\n    Account(password_hash=pw_hash)' },
    { name: 'None and empty', code: 'def f(user):\n    user.password = None\n    User(name="x", password="")\n    user.password = "!"' },
    { name: 'client and config objects keep passwords in memory', code: 'class FtpClient:\n    def __init__(self, host, password):\n        self.password = password\ndef f(config, args, password):\n    config.password = password\n    args.password = getpass.getpass()\n    SMTPConfig(password=password)\n    psycopg2.connect(host=h, password=password)' },
    { name: 'input schemas hold the typed password', code: 'from pydantic import BaseModel\ndef signup(data):\n    creds = UserCreate(email=data["email"], password=data["password"])\n    form = LoginForm(password=password)' },
    { name: 'copying an existing (hashed) password field', code: 'def clone(user, other):\n    user.password = other.password\n    Account(password=existing.password)' },
    { name: 'sql with hashing in the database and hash columns', code: 'def f(cur, name, password):\n    cur.execute("INSERT INTO users (name, password) VALUES (%s, crypt(%s, gen_salt(\'bf\')))", (name, password))\n    cur.execute("INSERT INTO users (name, password_hash) VALUES (?, ?)", (name, hashed))\n    cur.execute("SELECT * FROM users WHERE name = ? AND password = ?", (name, password))' },
    { name: 'sql with a hashed parameter', code: 'def f(cur, name, password):\n    cur.execute("UPDATE users SET password = ? WHERE name = ?", (generate_password_hash(password), name))' },
    { name: 'test files', path: 'tests/test_models.py', code: 'def test_user(password):\n    User(username="x", password=password)\n    user.password = password' },
    { name: 'local class that is not a model', code: 'class User:\n    pass\ndef f(password):\n    User(password=password)' },
    { name: 'password reset token and confirmation checks', code: 'def f(user, token):\n    user.password_reset_token = token\n    user.reset_token = request.form["password"]' },
  ],
  invalid: [
    {
      name: 'attribute assignment from a form',
      code: 'def change(request, user):\n    user.password = request.POST["password"]\n    user.save()',
      errors: [{ line: 2, column: 5, messageId: 'attribute' }],
      output: null,
    },
    {
      name: 'model constructor and session.add',
      code: 'from app.models import Account\ndef register(db, username, password):\n    db.session.add(User(username=username, password=password))\n    acct = Account(login=username, passwd=password)',
      errors: [
        { line: 3, messageId: 'keyword' },
        { line: 4, messageId: 'keyword' },
      ],
    },
    {
      name: 'django manager writes',
      code: 'def f(request):\n    raw = request.POST.get("password")\n    Customer.objects.create(email=e, password=raw)\n    Customer.objects.filter(pk=1).update(password=raw)',
      errors: [
        { line: 3, messageId: 'keyword' },
        { line: 4, messageId: 'keyword' },
      ],
    },
    {
      name: 'FastAPI schema input into an ORM model',
      code: 'from . import models, schemas\ndef create_user(db, user: schemas.UserCreate):\n    db_user = models.User(email=user.email, password=user.password)\n    db.add(db_user)',
      errors: [{ line: 3, messageId: 'keyword' }],
    },
    {
      name: 'WTForms data and local model class',
      code: 'from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\nclass Member(db.Model):\n    def set_pw(self, new_password):\n        self.password = new_password\ndef signup(form):\n    m = Member(name=form.name.data, pwd=form.password.data)',
      errors: [
        { line: 5, messageId: 'attribute' },
        { line: 7, messageId: 'keyword' },
      ],
    },
    {
      name: 'sql insert and update with the raw password',
      code: 'def register(cursor, name, password):\n    cursor.execute("INSERT INTO users (name, password) VALUES (?, ?)", (name, password))\n    cursor.execute("UPDATE users SET password = %(pw)s WHERE name = %(n)s", {"pw": password, "n": name})',
      errors: [
        { line: 2, messageId: 'sql' },
        { line: 3, messageId: 'sql' },
      ],
    },
    {
      name: 'sqlalchemy core insert',
      code: 'from sqlalchemy import insert\ndef f(conn, password):\n    conn.execute(insert(users).values(name=n, password=password))',
      errors: [{ line: 3, messageId: 'keyword' }],
    },
    {
      name: 'prompt and stripped input',
      code: 'import getpass\ndef create_admin():\n    admin = User(username="admin", password=getpass.getpass())\n    new_user.password = request.form["password"].strip()',
      errors: [
        { line: 3, messageId: 'keyword' },
        { line: 4, messageId: 'attribute' },
      ],
    },
  ],
});
