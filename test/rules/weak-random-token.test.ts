import rule from '../../src/rules/secure-coding/weak-random-token.js';
import { ruleTester } from '../helpers/rule-tester.js';

ruleTester(rule, {
  valid: [
    { name: 'jitter', code: 'import random, time\ntime.sleep(random.uniform(0, 1))\ndelay = base * random.random()' },
    { name: 'picking a color', code: 'import random\ncolor = random.choice(colors)' },
    { name: 'NLP token picked from a vocabulary', code: 'import random\ntoken = random.choice(tokens)\ntoken_id = random.randint(0, vocab_size)\ntokens = random.sample(words, 5)' },
    { name: 'lengths and counts', code: 'import random\npassword_length = random.randint(12, 20)\nnum_tokens = random.randint(1, 5)' },
    { name: 'sampling data', code: 'import random\nbatch = random.sample(rows, 100)\nrandom.shuffle(items)' },
    { name: 'secrets module', code: 'import secrets\ntoken = secrets.token_hex(16)\notp = secrets.randbelow(10**6)' },
    { name: 'SystemRandom', code: 'import random\nrng = random.SystemRandom()\npassword = "".join(rng.choice(chars) for _ in range(16))\nsalt = random.SystemRandom().getrandbits(64)' },
    { name: 'random used for the length only', code: 'import random, secrets\ntoken = "".join(secrets.choice(A) for _ in range(random.randint(20, 30)))' },
    { name: 'used as an index', code: 'import random\npassword = passwords[random.randrange(len(passwords))]' },
    { name: 'shadowed random', code: 'def f(random):\n    token = random.random()' },
    { name: 'numpy random is another module', code: 'import numpy as np\ntoken = np.random.randint(0, 10)' },
    { name: 'test files', code: 'import random\npassword = "".join(random.choices("abc", k=8))', path: 'tests/test_users.py' },
    { name: 'game', code: 'import random\ndef roll_dice():\n    return random.randint(1, 6)' },
    { name: 'condition of a conditional', code: 'import random\ntoken = a if random.random() < 0.5 else b' },
  ],
  invalid: [
    {
      name: 'join of choices returned from a token function',
      code: 'import random, string\ndef make_reset_token():\n    return "".join(random.choices(string.ascii_letters + string.digits, k=32))',
      errors: [{ line: 3, column: 20, messageId: 'weak' }],
      output: null,
    },
    {
      name: 'generator join assigned to password',
      code: 'import random\npassword = "".join(random.choice(alphabet) for _ in range(12))',
      errors: [{ line: 2, messageId: 'weak' }],
    },
    {
      name: 'one character pick from a known alphabet',
      code: 'import random\nCHARS = "abcdef0123456789"\ntoken = random.choice(CHARS)',
      errors: [{ line: 3, messageId: 'weak' }],
    },
    {
      name: 'numeric codes and aliases',
      code: 'import random as r\nfrom random import randint as ri\notp = str(r.randint(100000, 999999))\nverification_code = f"{ri(0, 999999):06d}"\nsession_id = hex(r.getrandbits(128))',
      errors: [
        { line: 3, messageId: 'weak' },
        { line: 4, messageId: 'weak' },
        { line: 5, messageId: 'weak' },
      ],
    },
    {
      name: 'augmented assignment in a loop',
      code: 'import random\ntoken = ""\nfor _ in range(16):\n    token += random.choice(chars)',
      errors: [{ line: 4, messageId: 'weak' }],
    },
    {
      name: 'attributes, subscripts, keywords and dict keys',
      code: `
        import random, hashlib
        user.api_key = hashlib.sha1(str(random.random()).encode()).hexdigest()
        session["csrf_token"] = str(random.getrandbits(64))
        User.objects.create(email=e, password=str(random.random()))
        payload = {"nonce": random.randint(0, 2**32)}
      `,
      errors: [
        { line: 2, messageId: 'weak' },
        { line: 3, messageId: 'weak' },
        { line: 4, messageId: 'weak' },
        { line: 5, messageId: 'weak' },
      ],
    },
    {
      name: 'camelCase names and salt',
      code: 'import random\nresetToken = random.randbytes(16).hex()\nsalt = random.randbytes(16)',
      errors: [
        { line: 2, messageId: 'weak' },
        { line: 3, messageId: 'weak' },
      ],
    },
    {
      name: 'sample joined into a passphrase',
      code: 'import random\ndef generate_password(words):\n    return "-".join(random.sample(words, 4))',
      errors: [{ line: 3, messageId: 'weak' }],
    },
  ],
});
