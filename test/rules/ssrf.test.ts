import rule from '../../src/rules/secure-coding/ssrf.js';
import { ruleTester } from '../helpers/rule-tester.js';

const FLASK = 'import requests, httpx\nfrom urllib.parse import urlparse\nfrom flask import Flask, request, abort, session\napp = Flask(__name__)\n';

ruleTester(rule, {
  valid: [
    { name: 'fixed host', code: FLASK + 'def v():\n    return requests.get(f"https://api.example.com/items/{request.args[\'id\']}", timeout=5)' },
    { name: 'host allow-list', code: FLASK + 'ALLOWED = {"a.example.com"}\ndef v():\n    u = request.args["u"]\n    if urlparse(u).netloc not in ALLOWED:\n        abort(400)\n    return requests.get(u, timeout=5)' },
    { name: 'constant URL', code: FLASK + 'def v():\n    return requests.get("https://example.com", params={"q": request.args["q"]}, timeout=5)' },
    { name: 'params are not the URL', code: FLASK + 'def v():\n    return httpx.get("https://api.example.com/search", params={"q": request.args["q"]})' },
    { name: 'flask session.get is not HTTP', code: FLASK + 'def v():\n    return session.get(request.args["k"])' },
    { name: 'dict get', code: FLASK + 'def v():\n    d = {}\n    return d.get(request.args["k"])' },
    { name: 'overwritten', code: FLASK + 'def v():\n    u = request.args["u"]\n    u = "https://example.com"\n    return requests.get(u, timeout=5)' },
    { name: 'unknown origin', code: 'import requests\ndef fetch(url):\n    return requests.get(url, timeout=5)' },
    { name: 'relative prefix', code: FLASK + 'def v():\n    return requests.get("/internal/" + request.args["p"], timeout=5)' },
  ],
  invalid: [
    { name: 'requests.get of request data', code: FLASK + 'def v():\n    return requests.get(request.args["url"], timeout=5).text', errors: [{ line: 6, messageId: 'tainted', severity: 'high' }] },
    { name: 'httpx post', code: FLASK + 'def v():\n    u = request.json["callback"]\n    httpx.post(u, json={})', errors: [{ line: 7, messageId: 'tainted' }] },
    { name: 'urlopen', code: 'from urllib.request import urlopen\nfrom flask import request\ndef v():\n    return urlopen(request.args["u"]).read()', errors: [{ line: 4, messageId: 'tainted' }] },
    { name: 'session object', code: FLASK + 's = requests.Session()\ndef v():\n    return s.get(request.args["u"], timeout=5)', errors: [{ line: 7, messageId: 'tainted' }] },
    { name: 'aiohttp with-as', code: 'import aiohttp\nfrom fastapi import FastAPI\napp = FastAPI()\n@app.get("/p")\nasync def v(url: str):\n    async with aiohttp.ClientSession() as client:\n        async with client.get(url) as r:\n            return await r.text()', errors: [{ line: 7, messageId: 'tainted' }] },
    { name: 'host only prefix', code: FLASK + 'def v():\n    return requests.get("http://" + request.args["host"] + "/status", timeout=5)', errors: [{ line: 6, messageId: 'tainted' }] },
    { name: 'requests.request url argument', code: FLASK + 'def v():\n    return requests.request("GET", request.args["u"], timeout=5)', errors: [{ line: 6, messageId: 'tainted' }] },
    { name: 'django', code: 'import requests\nfrom django.http import HttpResponse\ndef v(request):\n    return HttpResponse(requests.get(request.GET["u"], timeout=3).content)', errors: [{ line: 4, messageId: 'tainted' }] },
  ],
});
