import rule from '../../src/rules/access-control/trust-boundary-violation.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FLASK = 'from flask import Flask, request, session\napp = Flask(__name__)\n';

ruleTester(rule, {
  valid: [
    { name: 'constant value', code: FLASK + 'def v():\n    session["visited"] = True' },
    { name: 'key from the request, constant value', code: FLASK + 'def v():\n    session[request.args["k"]] = 1' },
    { name: 'int() conversion', code: FLASK + 'def v():\n    session["page"] = int(request.args.get("page", 1))' },
    { name: 'allow-listed value', code: FLASK + 'THEMES = {"light", "dark"}\ndef v():\n    theme = request.form.get("theme", "light")\n    if theme not in THEMES:\n        theme = "light"\n    session["theme"] = theme' },
    {
      name: 'value from a database lookup (Flask tutorial login)',
      code: FLASK + 'def v():\n    username = request.form["username"]\n    db = get_db()\n    user = db.execute("SELECT * FROM user WHERE username = ?", (username,)).fetchone()\n    if user is None:\n        return "no"\n    session.clear()\n    session["user_id"] = user["id"]',
    },
    { name: 'ORM lookup attribute', code: FLASK + 'def v():\n    user = User.query.filter_by(email=request.form["email"]).first()\n    session["uid"] = user.id' },
    { name: 'overwritten before the sink', code: FLASK + 'def v():\n    lang = request.args["lang"]\n    lang = "en"\n    session["lang"] = lang' },
    { name: 'plain dict named session', code: 'from flask import request\ndef v():\n    session = {}\n    session["q"] = request.args["q"]\n    return session' },
    { name: 'requests session is not the user session', code: 'import requests\nfrom flask import request\ndef v():\n    s = requests.Session()\n    s.headers["X"] = "y"\n    session = requests.Session()\n    session.params = {"q": request.args["q"]}' },
    { name: 'non-tainted value into request.session', code: 'from django.http import HttpResponse\ndef view(request):\n    request.session["seen"] = "yes"\n    return HttpResponse("ok")' },
    { name: 'session.update with constant values and tainted keys', code: FLASK + 'def v():\n    session.update({request.args["k"]: "x"})' },
    { name: 'SQLAlchemy session is not the HTTP session', code: 'from flask import request\nfrom sqlalchemy.orm import Session\ndef v(session: Session):\n    session.add(Item(name=request.form["n"]))' },
    { name: 'uuid conversion in Django', code: 'from django.http import HttpResponse\nimport uuid\ndef view(request):\n    request.session["cart"] = str(uuid.UUID(request.GET["cart"]))\n    return HttpResponse("ok")' },
  ],
  invalid: [
    {
      name: 'Flask session from request.form',
      code: FLASK + 'def v():\n    session["role"] = request.form["role"]',
      errors: [{ line: 4, column: 23, messageId: 'tainted' }],
    },
    {
      name: 'through a variable and strip()',
      code: FLASK + 'def v():\n    nxt = request.args.get("next", "/").strip()\n    session["next"] = nxt',
      errors: [{ line: 5, messageId: 'tainted' }],
    },
    {
      name: 'aliased flask import',
      code: 'import flask as f\ndef v():\n    f.session["name"] = f"user-{f.request.args[\'n\']}"',
      errors: [{ line: 3, messageId: 'tainted' }],
    },
    {
      name: 'session.update with a dict literal',
      code: FLASK + 'def v():\n    session.update({"lang": request.args["lang"], "k": 1})',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'session.update with keywords and setdefault',
      code: FLASK + 'def v():\n    session.update(lang=request.cookies["lang"])\n    session.setdefault("tz", request.headers.get("X-Tz"))',
      errors: [
        { line: 4, messageId: 'tainted' },
        { line: 5, messageId: 'tainted' },
      ],
    },
    {
      name: 'route parameter',
      code: FLASK + '@app.route("/team/<team>")\ndef v(team):\n    session["team"] = team\n    return "ok"',
      errors: [{ line: 5, messageId: 'tainted' }],
    },
    {
      name: 'Django request.session from GET',
      code: 'from django.http import HttpResponse\ndef view(request):\n    request.session["is_admin"] = request.GET.get("admin")\n    return HttpResponse("ok")',
      errors: [{ line: 3, messageId: 'tainted' }],
    },
    {
      name: 'Django class-based view self.request.session',
      code: 'from django.views import View\nclass V(View):\n    def post(self, request):\n        self.request.session["plan"] = request.POST["plan"]',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'through a helper',
      code: FLASK + 'def remember(key, value):\n    session[key] = value\ndef v():\n    remember("org", request.json["org"])',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'uploaded file content',
      code: FLASK + 'def v():\n    session["avatar"] = request.files["f"].read().decode()',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'JSON body decoded',
      code: FLASK + 'import json\ndef v():\n    session["prefs"] = json.loads(request.data)',
      errors: [{ line: 5, messageId: 'tainted' }],
    },
  ],
});
