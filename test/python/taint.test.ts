/**
 * The taint engine through a probe rule: `sink(x)` reports whether x is tainted (from an
 * attacker-controlled source), unknown (depends on what the analysis cannot see) or nothing
 * (provably safe). Each case states the expected verdict for every `sink(...)` in order.
 */
import { describe, expect, it } from '@jest/globals';
import { analyzeSource } from '../../src/core/engine.js';
import { createRule } from '../../src/core/types.js';
import { taintAt, type SinkKind, type TaintSettings } from '../../src/python/taint.js';
import { dedent } from '../helpers/rule-tester.js';

function probe(kind: SinkKind) {
  return createRule({
    meta: {
      id: 'probe',
      area: 'secure-coding',
      summary: 'probe',
      severity: 'high',
      confidence: 'high',
      cwe: [],
      owasp: [],
      messages: { tainted: 'tainted from {{src}}', unknown: 'unknown' },
      docs: { whatItDoes: '', whyBad: '', example: '', useInstead: '', fixSafety: '', references: [] },
      fixable: false,
    },
    create(ctx) {
      return {
        call(node) {
          const fn = node.childForFieldName('function');
          if (fn?.text !== 'sink') return;
          const arg = node.childForFieldName('arguments')?.namedChildren[0];
          if (!arg) return;
          const r = taintAt(ctx, arg, kind);
          if (!r) return;
          ctx.report({ node, messageId: r.tainted ? 'tainted' : 'unknown', data: { src: r.source?.label ?? '' } });
        },
      };
    },
  });
}

type Verdict = 'T' | 'U' | '-';

function verdicts(code: string, kind: SinkKind = 'sql', taint?: TaintSettings): Verdict[] {
  const src = dedent(code);
  const res = analyzeSource('app.py', src, [probe(kind)], taint ? { taint } : {});
  const errs = res.diagnostics.filter((d) => d.kind === 'rule-error');
  if (errs.length) throw new Error(errs.map((e) => e.message).join('\n'));
  const lines = src.split('\n');
  const sinkLines = lines.map((l, i) => (/\bsink\(/.test(l) ? i + 1 : 0)).filter((n) => n > 0);
  return sinkLines.map((line) => {
    const f = res.findings.find((x) => x.range.start.line === line);
    if (!f) return '-';
    return f.messageId === 'tainted' ? 'T' : 'U';
  });
}

const FLASK = 'from flask import Flask, request\napp = Flask(__name__)\n';

interface Case {
  name: string;
  code: string;
  expect: Verdict[];
  kind?: SinkKind;
}

const cases: Case[] = [
  { name: 'direct request arg', code: FLASK + 'def v():\n    sink(request.args["q"])', expect: ['T'] },
  { name: 'through assignment and f-string', code: FLASK + 'def v():\n    q = request.args.get("q")\n    s = f"select {q}"\n    sink(s)', expect: ['T'] },
  { name: 'overwritten with a constant', code: FLASK + 'def v():\n    q = request.args.get("q")\n    q = "safe"\n    sink(q)', expect: ['-'] },
  { name: 'int() sanitizes', code: FLASK + 'def v():\n    q = int(request.args["q"])\n    sink(f"x {q}")', expect: ['-'] },
  { name: 'constant false branch', code: FLASK + 'def v():\n    q = request.args["q"]\n    if False:\n        sink(q)\n    sink("x")', expect: ['-', '-'] },
  { name: 'constant folded global', code: FLASK + 'DEBUG = False\ndef v():\n    q = request.args["q"]\n    if DEBUG:\n        q = "x"\n    else:\n        q = "y"\n    sink(q)', expect: ['-'] },
  { name: 'branch join keeps taint', code: FLASK + 'def v(flag):\n    q = "x"\n    if flag:\n        q = request.args["q"]\n    sink(q)', expect: ['T'] },
  { name: 'early abort on allow-list', code: FLASK + 'ALLOWED = {"a", "b"}\ndef v():\n    q = request.args["q"]\n    if q not in ALLOWED:\n        abort(400)\n    sink(q)', expect: ['-'] },
  { name: 'allow-list true branch only', code: FLASK + 'def v():\n    q = request.args["q"]\n    if q in ("a", "b"):\n        sink(q)\n    sink(q)', expect: ['-', 'T'] },
  { name: 'isdigit guard', code: FLASK + 'def v():\n    q = request.args["q"]\n    if not q.isdigit():\n        return "bad"\n    sink(q)', expect: ['-'] },
  { name: 'list append and join', code: FLASK + 'def v():\n    parts = []\n    parts.append(request.form["a"])\n    sink(" ".join(parts))', expect: ['T'] },
  { name: 'dict with constant keys', code: FLASK + 'def v():\n    d = {"a": request.args["a"], "b": "const"}\n    sink(d["b"])\n    sink(d["a"])', expect: ['-', 'T'] },
  { name: 'tuple unpacking', code: FLASK + 'def v():\n    a, b = request.args["a"], "k"\n    sink(b)\n    sink(a)', expect: ['-', 'T'] },
  { name: 'comprehension', code: FLASK + 'def v():\n    ids = [x.strip() for x in request.args["ids"].split(",")]\n    sink(",".join(ids))', expect: ['T'] },
  { name: 'helper returning its argument', code: FLASK + 'def wrap(x):\n    return "(" + x + ")"\ndef v():\n    sink(wrap(request.args["q"]))\n    sink(wrap("k"))', expect: ['T', '-'] },
  { name: 'helper that sanitizes', code: FLASK + 'def clean(x):\n    return int(x)\ndef v():\n    sink(clean(request.args["q"]))', expect: ['-'] },
  { name: 'sink in helper, tainted caller', code: FLASK + 'def run(q):\n    sink(q)\ndef v():\n    run(request.args["q"])', expect: ['T'] },
  { name: 'sink in helper, clean callers only', code: FLASK + 'def run(q):\n    sink(q)\ndef v():\n    run("select 1")', expect: ['-'] },
  { name: 'sink in helper, no callers', code: 'def run(q):\n    sink(q)', expect: ['U'] },
  { name: 'flask route parameter', code: FLASK + '@app.route("/u/<name>/<int:uid>")\ndef v(name, uid):\n    sink(name)\n    sink(uid)', expect: ['T', '-'] },
  { name: 'django view', code: 'from django.http import HttpResponse\ndef v(request, slug):\n    sink(request.GET["q"])\n    sink(slug)', expect: ['T', 'T'] },
  {
    name: 'fastapi parameters',
    code: 'from fastapi import FastAPI, Depends\napp = FastAPI()\n@app.get("/items")\ndef v(q: str, n: int, db=Depends(get_db)):\n    sink(q)\n    sink(n)\n    sink(db)',
    expect: ['T', '-', 'U'],
  },
  { name: 'input and argv', code: 'import sys\nsink(input())\nsink(sys.argv[1])', expect: ['T', 'T'] },
  { name: 'environment is not a source by default', code: 'import os\nsink(os.environ["X"])\nsink(os.getenv("Y"))', expect: ['U', 'U'] },
  { name: 'shlex.quote sanitizes for commands only', code: FLASK + 'import shlex\ndef v():\n    q = shlex.quote(request.args["q"])\n    sink(q)', expect: ['T'] },
  { name: 'shlex.quote for command sinks', kind: 'command', code: FLASK + 'import shlex\ndef v():\n    q = shlex.quote(request.args["q"])\n    sink("ls " + q)', expect: ['-'] },
  { name: 'fixed host prefix is safe for ssrf', kind: 'ssrf', code: FLASK + 'def v():\n    u = request.args["u"]\n    sink(f"https://api.example.com/items/{u}")\n    sink(u)', expect: ['-', 'T'] },
  { name: 'netloc allow-list for ssrf', kind: 'ssrf', code: FLASK + 'from urllib.parse import urlparse\nALLOWED = {"a.com"}\ndef v():\n    u = request.args["u"]\n    if urlparse(u).netloc not in ALLOWED:\n        abort(400)\n    sink(u)', expect: ['-'] },
  { name: 'realpath + startswith for paths', kind: 'path', code: FLASK + 'import os\nBASE = "/srv"\ndef v():\n    p = os.path.realpath(os.path.join(BASE, request.args["f"]))\n    if not p.startswith(BASE):\n        abort(403)\n    sink(p)', expect: ['-'] },
  { name: 'basename for paths', kind: 'path', code: FLASK + 'import os\ndef v():\n    sink(os.path.join("/srv", os.path.basename(request.args["f"])))', expect: ['-'] },
  { name: 'io.open_code / gzip.open: the content is unknown, not the path\'s taint', code: 'import io, gzip, sys\nwith io.open_code(sys.argv[1]) as f:\n    sink(f.read())\nsink(gzip.open(sys.argv[1]).read())', expect: ['U', 'U'] },
  { name: 'a program\'s output is unknown, not its command line\'s taint', code: FLASK + 'import subprocess\ndef v():\n    out = subprocess.run("convert " + request.args["f"], shell=True, capture_output=True)\n    sink(out.stdout)\n    sink(subprocess.check_output(["echo", request.args["x"]]))', expect: ['U', 'U'] },
  { name: 'Path.read_text(): the content is unknown', code: 'import sys\nfrom pathlib import Path\nsink(Path(sys.argv[1]).read_text())', expect: ['U'] },
  { name: 'an uploaded file\'s read() stays tainted', code: FLASK + 'def v():\n    sink(request.files["f"].read())', expect: ['T'] },
  { name: 'with as: a file\'s content is unknown, not the path\'s taint', code: FLASK + 'def v():\n    with open(request.args["f"]) as fh:\n        sink(fh)', expect: ['U'] },
  { name: 'with as binds the value', code: FLASK + 'import contextlib\ndef v():\n    with contextlib.nullcontext(request.args["f"]) as x:\n        sink(x)', expect: ['T'] },
  { name: 'generator argument', code: FLASK + 'def v():\n    cols = ", ".join(c.strip() for c in request.args["f"].split(","))\n    sink(cols)', expect: ['T'] },
  { name: 'sanitized part joined with unknown part', code: FLASK + 'from psycopg2 import sql\ndef v():\n    q = sql.SQL("SELECT {}").format(sql.Identifier(request.args["c"]))\n    sink(q)', expect: ['U'] },
  { name: 'trusted base URL then a path', kind: 'ssrf', code: FLASK + 'import os\nBASE = os.environ["API"]\ndef v():\n    sink(f"{BASE}/items/{request.args[\'i\']}")\n    sink(f"{BASE}{request.args[\'i\']}")', expect: ['-', 'T'] },
  { name: '**kwargs carry keyword arguments', code: FLASK + 'def audit(action, **fields):\n    parts = [f"{k}={v}" for k, v in fields.items()]\n    sink(" ".join(parts))\ndef v():\n    audit("search", q=request.args["q"])', expect: ['T'] },
  { name: '*args carry extra positionals', code: FLASK + 'def run(*parts):\n    sink(" ".join(parts))\ndef v():\n    run("ls", request.args["d"])', expect: ['T'] },
  { name: 'method of an instance from a factory', code: FLASK + 'class Dir:\n    def find(self, name):\n        sink(f"(uid={name})")\ndef directory():\n    return Dir()\ndef v():\n    d = directory()\n    d.find(request.args["u"])', expect: ['T'] },
  { name: 'method of a module-level instance', code: FLASK + 'class Conv:\n    def convert(self, path):\n        sink(path)\nconverter = Conv()\ndef v():\n    converter.convert(request.args["p"])', expect: ['T'] },
  {
    name: 'fastapi parameter typed with an enum of the module',
    code: 'from enum import Enum\nfrom fastapi import FastAPI\napp = FastAPI()\nclass Color(str, Enum):\n    red = "red"\nclass Plain:\n    pass\n@app.get("/c/{c}")\ndef v(c: Color, p: Plain, s: str):\n    sink(c.value)\n    sink(p)\n    sink(s)',
    expect: ['-', 'T', 'T'],
  },
  { name: 'method of an injected dependency', code: 'from fastapi import FastAPI, Depends\napp = FastAPI()\nclass Repo:\n    def find(self, q):\n        sink(q)\n@app.get("/s")\ndef v(q: str, repo: Repo = Depends(Repo)):\n    return repo.find(q)', expect: ['T'] },
  { name: 'unrelated receiver with the same method name', code: FLASK + 'class Dir:\n    def find(self, name):\n        sink(name)\ndef v():\n    request.args["u"].find("x")\n    Dir().find("const")', expect: ['-'] },
  { name: 'host of a parsed URL checked against an allow-list', kind: 'ssrf', code: FLASK + 'from urllib.parse import urlsplit\nALLOWED = {"a.com"}\ndef v():\n    url = request.args["u"]\n    host = urlsplit(url).hostname or ""\n    if host not in ALLOWED:\n        abort(400)\n    sink(url)\ndef w():\n    url = request.args["u"]\n    parsed = urlsplit(url)\n    if parsed.netloc not in ALLOWED:\n        abort(400)\n    sink(url)', expect: ['-', '-'] },
  { name: 'tornado handler arguments', code: 'import tornado.web\nclass H(tornado.web.RequestHandler):\n    def get(self):\n        sink(self.get_argument("q"))\n        sink(self.request.arguments)\n        sink(self.get_status())', expect: ['T', 'T', 'U'] },
  { name: 'falcon and pyramid requests', code: 'import falcon\nfrom pyramid.view import view_config\nclass R:\n    def on_get(self, req, resp):\n        sink(req.get_param("q"))\n        sink(req.media)\n@view_config(route_name="x")\ndef view(request):\n    sink(request.matchdict["id"])', expect: ['T', 'T', 'T'] },
  { name: 'environment is unknown, not clean', code: 'import os\nsink(os.environ["Q"])', expect: ['U'] },
  { name: 'module-level tainted global', code: 'import sys\nNAME = sys.argv[1]\ndef f():\n    sink(NAME)', expect: ['T'] },
  { name: 'parameterized query args are not the query', code: FLASK + 'def v():\n    sink("select ?", (request.args["q"],))', expect: ['-'] },
  { name: 'self method helper', code: 'from django.views import View\nclass V(View):\n    def get(self, request):\n        return self.run(request.GET["q"])\n    def run(self, q):\n        sink(q)', expect: ['T'] },
  { name: 'loop carries taint', code: FLASK + 'def v():\n    acc = ""\n    for k in request.args:\n        acc += k\n    sink(acc)', expect: ['T'] },
  { name: 'log sanitizer', kind: 'log', code: FLASK + 'def v():\n    u = request.args["u"].replace("\\n", "")\n    sink(u)', expect: ['-'] },
  { name: 'socket recv', code: 'import socket\ndef serve(conn):\n    data = conn.recv(1024)\n    sink(data.decode())', expect: ['T'] },
  { name: 'unreachable after return', code: FLASK + 'def v():\n    return 1\n    sink(request.args["q"])', expect: ['-'] },
  { name: 'try/except join', code: FLASK + 'def v():\n    q = "a"\n    try:\n        q = request.args["q"]\n    except KeyError:\n        pass\n    sink(q)', expect: ['T'] },
  { name: 'walrus', code: FLASK + 'def v():\n    if (q := request.args.get("q")):\n        sink(q)', expect: ['T'] },
];

describe('taint engine', () => {
  for (const c of cases) {
    it(c.name, () => {
      expect(verdicts(c.code, c.kind)).toEqual(c.expect);
    });
  }

  it('configured sources and sanitizers', () => {
    const settings: TaintSettings = {
      environment: true,
      sources: ['mylib.get_param'],
      sanitizers: new Map([['mylib.clean_sql', ['sql']]]),
    };
    const code = 'import os\nfrom mylib import get_param, clean_sql\nsink(get_param("x"))\nsink(clean_sql(get_param("x")))\nsink(os.environ["A"])';
    expect(verdicts(code, 'sql', settings)).toEqual(['T', '-', 'T']);
  });
});

describe('dead code', () => {
  const rule = createRule({
    meta: {
      id: 'probe-any',
      area: 'secure-coding',
      summary: 'probe',
      severity: 'high',
      confidence: 'high',
      cwe: [],
      owasp: [],
      messages: { hit: 'hit' },
      docs: { whatItDoes: '', whyBad: '', example: '', useInstead: '', fixSafety: '', references: [] },
      fixable: false,
    },
    create(ctx) {
      return {
        call(node) {
          if (node.childForFieldName('function')?.text === 'flag') ctx.report({ node, messageId: 'hit' });
        },
      };
    },
  });
  const lines = (code: string): number[] =>
    analyzeSource('app.py', dedent(code), [rule]).findings.map((f) => f.range.start.line);

  it('drops findings in constant-false branches, after return, and in defs under dead branches', () => {
    const code = `
      DEBUG = False
      if DEBUG:
          flag(1)
      else:
          flag(2)
      def f():
          return 1
          flag(3)
      if False:
          def g():
              flag(4)
      while 0:
          flag(5)
      if True:
          flag(6)
      else:
          flag(7)
      class C:
          x = flag(8)
      def h(debug):
          if debug:
              flag(9)
    `;
    expect(lines(code)).toEqual([5, 15, 19, 22]);
  });
});
