import rule from '../../src/rules/logging/log-injection.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FLASK = 'import logging\nfrom flask import Flask, request\napp = Flask(__name__)\nlogger = logging.getLogger(__name__)\n';

ruleTester(rule, {
  valid: [
    { name: 'constant message', code: FLASK + 'def v():\n    logger.info("request received")' },
    { name: '%r formatting', code: FLASK + 'def v():\n    logger.warning("failed login for %r", request.form["u"])' },
    { name: 'f-string !r conversion', code: FLASK + 'def v():\n    logger.warning(f"failed login for {request.form[\'u\']!r}")' },
    { name: 'repr() call', code: FLASK + 'def v():\n    logger.info("user %s", repr(request.args["u"]))' },
    { name: '%d argument', code: FLASK + 'def v():\n    logger.info("page %d", request.args["page"])' },
    { name: 'newlines removed', code: FLASK + 'def v():\n    u = request.args["u"].replace("\\n", "").replace("\\r", "")\n    logger.info("user %s", u)' },
    { name: 'int() conversion', code: FLASK + 'def v():\n    logger.info("page %s", int(request.args["p"]))' },
    { name: 'print is not logging', code: FLASK + 'def v():\n    print("user", request.args["u"])' },
    { name: 'extra= keyword is not formatted', code: FLASK + 'def v():\n    logger.info("login", extra={"user": request.form["u"]})' },
    { name: 'math.log look-alike', code: 'from math import log\nfrom flask import request\ndef v():\n    return log(float(request.args["x"]))' },
    { name: 'error() on a non-logger object', code: FLASK + 'def v(form):\n    form.error("bad", request.args["x"])' },
    { name: 'lookup result, not the input', code: FLASK + 'def v():\n    user = User.query.filter_by(name=request.form["u"]).first()\n    logger.info("login %s", user.name)' },
    { name: 'overwritten before the sink', code: FLASK + 'def v():\n    u = request.args["u"]\n    u = "anonymous"\n    logger.info("user %s", u)' },
    { name: 'same sink with a non-tainted value', code: FLASK + 'def v(path):\n    logger.info("loading %s", path)\ndef main():\n    v("/etc/app.conf")' },
    { name: 'log level is not text', code: FLASK + 'def v():\n    logger.log(int(request.args["lvl"]), "changed")' },
  ],
  invalid: [
    {
      name: 'logger from getLogger, %s argument',
      code: FLASK + 'def v():\n    username = request.form["username"]\n    logger.warning("failed login for %s", username)',
      errors: [{ line: 7, column: 43, messageId: 'tainted' }],
    },
    {
      name: 'logging.info with an f-string',
      code: FLASK + 'def v():\n    logging.info(f"search for {request.args[\'q\']}")',
      errors: [{ line: 6, messageId: 'tainted' }],
    },
    {
      name: 'aliased logging module',
      code: 'import logging as lg\nfrom flask import request\ndef v():\n    lg.error("bad token " + request.headers["X-Token"])',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'app.logger and current_app.logger',
      code: 'from flask import Flask, request, current_app\napp = Flask(__name__)\ndef v():\n    app.logger.info("a %s", request.args["a"])\n    current_app.logger.debug("b %s", request.args["b"])',
      errors: [
        { line: 4, messageId: 'tainted' },
        { line: 5, messageId: 'tainted' },
      ],
    },
    {
      name: 'self.logger in a Django class-based view',
      code: 'from django.views import View\nclass V(View):\n    def get(self, request):\n        self.logger.info("q=%s", request.GET.get("q"))',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'conventional receiver name and Django URL parameter',
      code: 'from django.http import HttpResponse\nfrom myproject.log import LOG\ndef view(request, slug):\n    LOG.error("missing page %s", slug)\n    return HttpResponse("no")',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'logging.log with a level',
      code: FLASK + 'def v():\n    logging.log(logging.INFO, "ua=%s", request.headers.get("User-Agent"))',
      errors: [{ line: 6, messageId: 'tainted' }],
    },
    {
      name: 'through a helper',
      code: FLASK + 'def audit(msg):\n    logger.info("audit: " + msg)\n@app.route("/x/<item>")\ndef v(item):\n    audit(item)',
      errors: [{ line: 6, messageId: 'tainted' }],
    },
    {
      name: 'exception() with input() in a script',
      code: 'import logging\nlog = logging.getLogger("cli")\nname = input()\nlog.exception("could not open %s", name)',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
  ],
});
