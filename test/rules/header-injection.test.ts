import rule from '../../src/rules/secure-coding/header-injection.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FLASK = 'from flask import Flask, request, make_response, Response\napp = Flask(__name__)\n';

ruleTester(rule, {
  valid: [
    { name: 'constant header', code: FLASK + 'def v():\n    resp = make_response("ok")\n    resp.headers["X-Frame-Options"] = "DENY"\n    return resp' },
    { name: 'Location belongs to open-redirect', code: FLASK + 'def v():\n    resp = make_response("", 302)\n    resp.headers["Location"] = request.args["next"]\n    return resp' },
    { name: 'secure_filename', code: FLASK + 'from werkzeug.utils import secure_filename\ndef v():\n    name = secure_filename(request.args["n"])\n    resp = make_response("x")\n    resp.headers["Content-Disposition"] = f"attachment; filename={name}"\n    return resp' },
    { name: 'CR/LF removed', code: FLASK + 'def v():\n    t = request.args["t"].replace("\\r\\n", "")\n    resp = make_response("x")\n    resp.headers["X-Trace"] = t\n    return resp' },
    { name: 'URL-quoted', code: FLASK + 'from urllib.parse import quote\ndef v():\n    resp = make_response("x")\n    resp.headers["X-Q"] = quote(request.args["q"])\n    return resp' },
    { name: 'outgoing requests header', code: FLASK + 'import requests\ndef v():\n    s = requests.Session()\n    s.headers["X-Forwarded-For"] = request.headers.get("X-Real-Ip")\n    return s.get("https://api.example.com").text' },
    { name: 'headers dict for an HTTP client', code: FLASK + 'import requests\ndef v():\n    h = {"X-User": request.args["u"]}\n    return requests.get("https://api.example.com", headers=h, timeout=5).text' },
    { name: 'module without a web framework', code: 'import sys\nclass R:\n    headers = {}\nr = R()\nr.headers["X"] = sys.argv[1]' },
    { name: 'lookup result, not the input', code: FLASK + 'def v():\n    user = User.query.get(request.args["id"])\n    resp = make_response("x")\n    resp.headers["X-User"] = user.name\n    return resp' },
    { name: 'overwritten before the sink', code: FLASK + 'def v():\n    v = request.args["v"]\n    v = "1.0"\n    resp = make_response("x")\n    resp.headers["X-Version"] = v\n    return resp' },
    { name: 'same sink, value from a constant-calling helper', code: FLASK + 'def add(resp, value):\n    resp.headers["X-Id"] = value\n    return resp\ndef v():\n    return add(make_response("x"), "abc")' },
    { name: 'int conversion in Django', code: 'from django.http import HttpResponse\ndef view(request):\n    r = HttpResponse("x")\n    r["X-Page"] = int(request.GET["p"])\n    return r' },
    { name: 'dict named response that is not an HttpResponse', code: 'from django.http import HttpResponse\ndef view(request):\n    response = {}\n    response["q"] = request.GET["q"]\n    return HttpResponse(str(response))' },
    { name: 'body of make_response is not a header', code: FLASK + 'def v():\n    return make_response(request.args["body"], 200)' },
  ],
  invalid: [
    {
      name: 'resp.headers[...] from request.args',
      code: FLASK + 'def v():\n    name = request.args.get("name", "export.csv")\n    resp = make_response("x")\n    resp.headers["Content-Disposition"] = f"attachment; filename={name}"\n    return resp',
      errors: [{ line: 6, column: 43, messageId: 'tainted' }],
    },
    {
      name: 'headers.add with a keyword parameter',
      code: FLASK + 'def v():\n    resp = make_response("x")\n    resp.headers.add("Content-Disposition", "attachment", filename=request.args["f"])\n    return resp',
      errors: [{ line: 5, messageId: 'tainted' }],
    },
    {
      name: 'headers.set with a tainted header name',
      code: FLASK + 'def v():\n    resp = make_response("x")\n    resp.headers.set(request.args["h"], "1")\n    return resp',
      errors: [{ line: 5, messageId: 'tainted' }],
    },
    {
      name: 'Response(headers={...})',
      code: FLASK + 'def v():\n    return Response("x", headers={"X-Lang": request.cookies.get("lang")})',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'make_response with a header dict',
      code: FLASK + 'def v():\n    return make_response("x", 200, {"X-Req": request.headers["X-Req"]})',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'route parameter into headers via helper',
      code: FLASK + 'def tag(resp, value):\n    resp.headers["X-Tag"] = value\n    return resp\n@app.route("/t/<t>")\ndef v(t):\n    return tag(make_response("x"), t)',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'Django response[name] = value',
      code: 'from django.http import HttpResponse\ndef view(request):\n    response = HttpResponse("x")\n    response["X-Filename"] = request.GET["f"]\n    return response',
      errors: [{ line: 4, messageId: 'tainted' }],
    },
    {
      name: 'Django HttpResponse(headers=...)',
      code: 'from django.http import HttpResponse\ndef view(request):\n    return HttpResponse("x", headers={"Content-Type": request.GET["ct"]})',
      errors: [{ line: 3, messageId: 'tainted' }],
    },
    {
      name: 'FastAPI query parameter into Starlette response headers',
      code: 'from fastapi import FastAPI\nfrom fastapi.responses import JSONResponse\napp = FastAPI()\n@app.get("/x")\ndef v(lang: str):\n    return JSONResponse({}, headers={"Content-Language": lang})',
      errors: [{ line: 6, messageId: 'tainted' }],
    },
  ],
});
