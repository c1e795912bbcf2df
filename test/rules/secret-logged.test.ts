import rule from '../../src/rules/logging/secret-logged.js';
import { describe, expect, it } from '@jest/globals';
import { ruleTester, run } from '../helpers/rule-tester.js';

const LOGGER = 'import logging\nlogger = logging.getLogger(__name__)\n';

ruleTester(rule, {
  valid: [
    { name: 'length of the password', code: `${LOGGER}def f(password):\n    logger.info("password length %d", len(password))` },
    { name: 'presence check', code: `${LOGGER}def f(password, token):\n    logger.info(f"pw set: {password is not None}, token: {bool(token)}")` },
    { name: 'masked with a helper', code: `${LOGGER}def f(token):\n    logger.info("token %s", mask(token))` },
    { name: 'sliced', code: `${LOGGER}def f(api_key):\n    logger.debug("key ...%s", api_key[-4:])` },
    { name: 'descriptive names', code: `${LOGGER}def f(token_count, password_reset_url, token_type, csrf_token):\n    logger.info("%s %s %s %s", token_count, password_reset_url, token_type, csrf_token)` },
    { name: 'message only mentions the word', code: `${LOGGER}logger.warning("password changed for %s", username)` },
    { name: 'receiver not a logger', code: 'def f(password):\n    stats.info(password)\n    db.error(password)' },
    { name: 'local function named info', code: 'def info(x):\n    pass\ndef f(password):\n    info(password)' },
    { name: 'NLP tokens', code: 'import spacy\nimport logging\nlog = logging.getLogger()\nfor token in doc:\n    log.debug("token %s", token)' },
    { name: 'loop variable named token', code: `${LOGGER}def f(words):\n    for token in words:\n        logger.debug(token)` },
    { name: 'pwd is the working directory', code: `${LOGGER}import os\npwd = os.getcwd()\nlogger.info("running in %s", pwd)` },
    { name: 'test file', code: `${LOGGER}def f(password):\n    logger.info(password)`, path: 'tests/test_auth.py' },
    { name: 'secret-named keyword with a derived value', code: 'import structlog\nlog = structlog.get_logger()\ndef f(pw):\n    log.info("login", password_given=bool(pw), password="***")' },
    { name: 'lexical token in a parser', code: `${LOGGER}class Parser:\n    def expect(self, token):\n        logger.debug("unexpected token %r", token)` },
    { name: 'flow-control tokens and positions', code: `${LOGGER}def f(acquire_token, cancel_token, token_pos):\n    logger.debug("%s %s %s", acquire_token, cancel_token, token_pos)` },
    { name: 'hash of a password', code: `${LOGGER}def f(password_hash):\n    logger.debug("stored %s", password_hash)` },
  ],
  invalid: [
    {
      name: 'f-string',
      code: `${LOGGER}def login(username, password):\n    logger.info(f"login user={username} password={password}")`,
      errors: [{ line: 4, column: 51, messageId: 'logged' }],
    },
    {
      name: '%-style arguments on the root logger',
      code: 'import logging\ndef f(api_key):\n    logging.debug("using key %s", api_key)',
      errors: [{ line: 3, messageId: 'logged' }],
    },
    {
      name: '% operator and attribute',
      code: `${LOGGER}def f(self):\n    logger.error("auth failed with %s" % self.access_token)`,
      errors: [{ line: 4, messageId: 'logged' }],
    },
    {
      name: 'format and settings attribute',
      code: 'from django.conf import settings\nimport logging\nlog = logging.getLogger("x")\nlog.warning("key: {}".format(settings.SECRET_KEY))',
      errors: [{ line: 4, messageId: 'logged' }],
    },
    {
      name: 'request form item, logger named by convention',
      code: 'from flask import request\ndef view():\n    app.logger.info("form password %s", request.form["password"])',
      errors: [{ line: 3, messageId: 'logged' }],
    },
    {
      name: 'environment get',
      code: 'import os\nfrom loguru import logger\nlogger.info("token=" + os.environ.get("GITHUB_TOKEN"))',
      errors: [{ line: 3, messageId: 'logged' }],
    },
    {
      name: 'structlog keyword',
      code: 'import structlog\nlog = structlog.get_logger()\ndef f(pw):\n    log.info("login", password=pw)',
      errors: [{ line: 4, messageId: 'logged' }],
    },
    {
      name: 'print: low confidence',
      code: 'def f(client_secret):\n    print("secret:", client_secret)',
      errors: [{ line: 2, messageId: 'logged' }],
    },
    {
      name: 'logger.log with level, str()',
      code: `${LOGGER}def f(token):\n    logger.log(logging.DEBUG, "t=%s", str(token))`,
      errors: [{ line: 4, messageId: 'logged' }],
    },
    {
      name: 'self.logger and f-string debug specifier',
      code: 'class C:\n    def f(self, password):\n        self.logger.debug(f"{password=}")',
      errors: [{ line: 3, messageId: 'logged' }],
    },
  ],
});

describe('secret-logged docs', () => {
  it('flags docs.example and not docs.useInstead', () => {
    expect(run(rule, rule.meta.docs.example).findings.length).toBeGreaterThan(0);
    expect(run(rule, rule.meta.docs.useInstead).findings).toEqual([]);
  });
});

describe('secret-logged confidence', () => {
  it('is low for print and medium for loggers', () => {
    expect(run(rule, 'def f(token):\n    print(token)').findings.map((f) => f.confidence)).toEqual(['low']);
    expect(run(rule, 'import logging\ndef f(token):\n    logging.info(token)').findings.map((f) => f.confidence)).toEqual(['medium']);
  });
});
