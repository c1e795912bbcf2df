import { createTaintRule, receiverName, type SinkArgument } from '../taint-rule.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument } from '../../python/ast.js';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/** Functions whose argument is a URL to fetch: [position, keyword]. */
const FETCHERS: Record<string, [number, string]> = {
  'urllib.request.urlopen': [0, 'url'],
  'urllib.request.Request': [0, 'url'],
  'urllib.request.urlretrieve': [0, 'url'],
  'urllib2.urlopen': [0, 'url'],
  'requests.request': [1, 'url'],
  'httpx.request': [1, 'url'],
  'httpx.stream': [1, 'url'],
  'aiohttp.request': [1, 'url'],
  'http.client.HTTPConnection': [0, 'host'],
  'http.client.HTTPSConnection': [0, 'host'],
  'pycurl.Curl.setopt': [1, 'value'],
};
for (const v of VERBS) {
  FETCHERS[`requests.${v}`] = [0, 'url'];
  FETCHERS[`httpx.${v}`] = [0, 'url'];
}

/** Client classes whose instances fetch URLs with `get`, `post`, ... and `request`. */
const CLIENTS = new Set([
  'requests.Session', 'requests.session', 'httpx.Client', 'httpx.AsyncClient', 'aiohttp.ClientSession',
  'urllib3.PoolManager', 'urllib3.ProxyManager',
]);

function clientReceiver(ctx: RuleContext, call: SyntaxNode): boolean {
  const fn = call.childForFieldName('function');
  const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (!obj) return false;
  const made = obj.type === 'call' ? ctx.calleeName(obj) : ctx.constructedBy(obj);
  if (made && CLIENTS.has(made)) return true;
  // `async with aiohttp.ClientSession() as session:` / `with httpx.Client() as client:`
  if (obj.type !== 'identifier') return false;
  for (let n: SyntaxNode | null = call.parent; n; n = n.parent) {
    if (n.type !== 'with_statement') continue;
    for (const item of n.descendantsOfType('as_pattern')) {
      const alias = item.childForFieldName('alias');
      const value = item.namedChildren[0];
      if (alias?.text === obj.text && value?.type === 'call' && CLIENTS.has(ctx.calleeName(value) ?? '')) return true;
    }
  }
  return false;
}

export default createTaintRule({
  kind: 'ssrf',
  meta: {
    id: 'ssrf',
    area: 'secure-coding',
    summary: 'The server fetches a URL that attacker-controlled input chooses (server-side request forgery).',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-918'],
    owasp: ['A10:2021'],
    messages: {
      tainted:
        'Server-side request forgery: {{source}} chooses the URL fetched by `{{sink}}`; an attacker can make the server call internal services or cloud metadata (169.254.169.254). Fix the scheme and host, or check the host against an allow-list.',
    },
    docs: {
      whatItDoes:
        'Follows attacker-controlled data to the URL of HTTP clients: `requests` (functions and `Session` methods), `httpx` (functions, `Client`, `AsyncClient`), `aiohttp.ClientSession`, `urllib.request.urlopen`/`Request`, `urllib3.PoolManager` and `http.client` connections. URLs whose literal start fixes scheme and host (`f"https://api.example.com/items/{id}"`) and URLs whose host was checked against an allow-list (`urlparse(url).netloc in ALLOWED_HOSTS`) are not flagged.',
      whyBad:
        'The server usually sits inside a trusted network: a URL such as `http://169.254.169.254/latest/meta-data/iam/security-credentials/` returns cloud credentials, and `http://localhost:6379/` reaches internal services that trust local callers. Attackers also use SSRF to scan the internal network.',
      example:
        'import requests\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n@app.route("/preview")\ndef preview():\n    return requests.get(request.args["url"], timeout=5).text',
      useInstead:
        'from urllib.parse import urlparse\nimport requests\nfrom flask import Flask, abort, request\n\napp = Flask(__name__)\nALLOWED_HOSTS = {"images.example.com", "cdn.example.com"}\n\n@app.route("/preview")\ndef preview():\n    url = request.args["url"]\n    parsed = urlparse(url)\n    if parsed.scheme != "https" or parsed.netloc not in ALLOWED_HOSTS:\n        abort(400)\n    return requests.get(url, timeout=5, allow_redirects=False).text',
      fixSafety:
        'No automatic fix: the allowed hosts are a product decision. Also disable redirects or re-check each hop, and resolve the host once to avoid DNS rebinding.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Server_Side_Request_Forgery_Prevention_Cheat_Sheet.html',
        'https://owasp.org/Top10/A10_2021-Server-Side_Request_Forgery_%28SSRF%29/',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => (name !== null && Object.hasOwn(FETCHERS, name)) || VERBS.includes(method) || method === 'request' || method === 'urlopen' || method === 'stream',
  sinks(ctx, call) {
    const name = ctx.calleeName(call);
    const out: SinkArgument[] = [];
    const fetcher = name ? FETCHERS[name] : undefined;
    if (fetcher && name) {
      const url = argument(call, fetcher[0], fetcher[1]);
      if (url) out.push({ node: url, sink: `${name}()` });
      return out;
    }
    const fn = call.childForFieldName('function');
    const method = fn?.type === 'attribute' ? (fn.childForFieldName('attribute')?.text ?? '') : '';
    if (!method || !clientReceiver(ctx, call)) return out;
    const recv = receiverName(call) ?? 'client';
    if (VERBS.includes(method)) {
      const url = argument(call, 0, 'url');
      if (url) out.push({ node: url, sink: `${recv}.${method}()` });
    } else if (method === 'request' || method === 'stream' || method === 'urlopen') {
      const url = argument(call, 1, 'url');
      if (url) out.push({ node: url, sink: `${recv}.${method}()` });
    }
    return out;
  },
});
