import rule from '../../src/rules/secure-coding/reflected-xss.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FLASK = 'from flask import Flask, request, make_response, Response, jsonify\nfrom markupsafe import Markup, escape\napp = Flask(__name__)\n';

ruleTester(rule, {
  valid: [
    { name: 'escaped value', code: FLASK + '@app.route("/s")\ndef v():\n    return f"<h1>{escape(request.args[\'q\'])}</h1>"' },
    { name: 'JSON response', code: FLASK + '@app.route("/s")\ndef v():\n    return jsonify(q=request.args["q"])' },
    { name: 'dict body', code: FLASK + '@app.route("/s")\ndef v():\n    return make_response({"q": request.args["q"]})' },
    { name: 'plain text content type', code: FLASK + '@app.route("/s")\ndef v():\n    return Response(request.args["q"], mimetype="text/plain")' },
    { name: 'no markup in the returned string', code: FLASK + '@app.route("/s")\ndef v():\n    return "ok " + str(int(request.args["n"]))' },
    { name: 'number', code: FLASK + '@app.route("/s")\ndef v():\n    n = int(request.args["n"])\n    return f"<p>{n}</p>"' },
    { name: 'not a view', code: FLASK + 'def helper(x):\n    return f"<p>{x}</p>"' },
    { name: 'constant Markup', code: FLASK + 'def v():\n    return Markup("<b>hi</b>")' },
    { name: 'django escape', code: 'from django.http import HttpResponse\nfrom django.utils.html import escape\ndef v(request):\n    return HttpResponse("<p>" + escape(request.GET["q"]) + "</p>")' },
    { name: 'overwritten', code: FLASK + '@app.route("/s")\ndef v():\n    q = request.args["q"]\n    q = "x"\n    return f"<p>{q}</p>"' },
  ],
  invalid: [
    { name: 'f-string HTML returned from a view', code: FLASK + '@app.route("/s")\ndef v():\n    q = request.args.get("q", "")\n    return f"<h1>Results for {q}</h1>"', errors: [{ line: 7, messageId: 'tainted', severity: 'high' }] },
    { name: 'concatenated HTML with status', code: FLASK + '@app.route("/s")\ndef v():\n    return "<p>" + request.args["q"] + "</p>", 200', errors: [{ line: 6, messageId: 'tainted' }] },
    { name: 'make_response', code: FLASK + '@app.route("/s")\ndef v():\n    return make_response("<p>%s</p>" % request.args["q"])', errors: [{ line: 6, messageId: 'tainted' }] },
    { name: 'Markup of request data', code: FLASK + 'def v():\n    return Markup(request.args["bio"])', errors: [{ line: 5, messageId: 'tainted' }] },
    { name: 'django HttpResponse', code: 'from django.http import HttpResponse\ndef v(request):\n    return HttpResponse("<p>Hello " + request.GET["n"] + "</p>")', errors: [{ line: 3, messageId: 'tainted' }] },
    { name: 'mark_safe', code: 'from django.utils.safestring import mark_safe\ndef v(request):\n    return mark_safe(request.POST["html"])', errors: [{ line: 3, messageId: 'tainted' }] },
    { name: 'route parameter', code: FLASK + '@app.route("/hi/<name>")\ndef v(name):\n    return "<h1>Hello {}</h1>".format(name)', errors: [{ line: 6, messageId: 'tainted' }] },
    { name: 'HTMLResponse', code: 'from fastapi import FastAPI\nfrom fastapi.responses import HTMLResponse\napp = FastAPI()\n@app.get("/s")\ndef v(q: str):\n    return HTMLResponse(f"<p>{q}</p>")', errors: [{ line: 6, messageId: 'tainted' }] },
  ],
});
