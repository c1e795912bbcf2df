import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { isFalse, keywordArg, keywordArgNode, unparen } from '../../python/ast.js';
import { constantString, falseValue } from '../../python/values.js';
import { methodCall, producedBy } from '../../python/receivers.js';

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

/** Module-level requests functions that accept `verify`. */
const REQUESTS_FUNCTIONS = new Set(
  HTTP_VERBS.flatMap((v) => [`requests.${v}`, `requests.api.${v}`]),
);
const REQUESTS_SESSIONS = new Set([
  'requests.Session',
  'requests.session',
  'requests.sessions.Session',
  'requests.sessions.session',
]);
const REQUESTS_SESSION_METHODS = new Set([...HTTP_VERBS, 'send']);

/** httpx functions and constructors that accept `verify`. */
const HTTPX_CALLS = new Set([
  ...[...HTTP_VERBS, 'stream'].map((v) => `httpx.${v}`),
  'httpx.Client',
  'httpx.AsyncClient',
  'httpx.HTTPTransport',
  'httpx.AsyncHTTPTransport',
]);

/** urllib3 pools that take `cert_reqs` (also as vendored by old requests). */
const URLLIB3_POOLS = new Set(
  ['PoolManager', 'ProxyManager', 'HTTPSConnectionPool', 'connection_from_url', 'proxy_from_url'].flatMap((n) => [
    `urllib3.${n}`,
    `urllib3.poolmanager.${n}`,
    `urllib3.connectionpool.${n}`,
    `requests.packages.urllib3.${n}`,
    `requests.packages.urllib3.poolmanager.${n}`,
    `requests.packages.urllib3.connectionpool.${n}`,
  ]),
);
const CERT_NONE = new Set(['ssl.CERT_NONE', 'ssl.VerifyMode.CERT_NONE']);

const AIOHTTP_CONNECTORS = new Set(['aiohttp.TCPConnector', 'aiohttp.connector.TCPConnector']);
const AIOHTTP_SESSIONS = new Set(['aiohttp.ClientSession', 'aiohttp.client.ClientSession']);
const AIOHTTP_SESSION_METHODS = new Set([...HTTP_VERBS, 'ws_connect']);
const AIOHTTP_FUNCTIONS = new Set(['aiohttp.request', 'aiohttp.client.request']);

/** Every qualified callee the rule inspects directly. */
const QUALIFIED = new Set([
  ...REQUESTS_FUNCTIONS,
  ...HTTPX_CALLS,
  ...URLLIB3_POOLS,
  ...AIOHTTP_CONNECTORS,
  ...AIOHTTP_FUNCTIONS,
]);


export default createRule({
  meta: {
    id: 'tls-verify-disabled',
    area: 'sensitive-data',
    summary: 'An HTTP client is told not to verify the server\'s TLS certificate.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-295'],
    owasp: ['A07:2021'],
    bandit: ['B501'],
    ruff: ['S501'],
    messages: {
      verify:
        '`{{call}}` is called with `verify=False`: the server\'s certificate is not checked, so anyone on the network path can impersonate it and read or change the traffic.',
      sessionVerify:
        'Setting `verify = False` on a requests session turns off certificate checks for every request it sends: anyone on the network path can impersonate the server.',
      certNone:
        '`{{call}}` is created with `cert_reqs` set to CERT_NONE: the server\'s certificate is not checked, so anyone on the network path can impersonate it.',
      aiohttpSsl:
        '`{{call}}` is called with `{{arg}}=False`: aiohttp skips certificate checks, so anyone on the network path can impersonate the server.',
    },
    docs: {
      whatItDoes:
        'Flags HTTP clients whose TLS certificate verification is switched off: `requests` and `httpx` calls, sessions and clients with `verify=False`, `session.verify = False` on a requests session, urllib3 pools with `cert_reqs="CERT_NONE"`, and aiohttp connectors or requests with `ssl=False` / `verify_ssl=False`.',
      whyBad:
        'HTTPS protects a connection only if the client checks that the certificate belongs to the server it meant to reach. With verification off, any machine on the path (public Wi-Fi, a compromised router, a malicious proxy, DNS spoofing) can present its own certificate, read every request and response, steal credentials and API tokens, and alter the data. The connection still looks encrypted, so nobody notices.',
      example:
        'import requests\n\nresp = requests.get("https://api.example.com/orders", verify=False)',
      useInstead:
        'import requests\n\n# Verification is on by default; for a private CA, point verify at its bundle.\nresp = requests.get("https://api.example.com/orders")\nresp = requests.get("https://internal.example", verify="/etc/ssl/certs/internal-ca.pem")',
      fixSafety:
        'For `verify=False` written in place (and `session.verify = False`), the fix changes it to `True`. This restores the library default; requests to servers with self-signed or otherwise invalid certificates will then fail with an SSL error, which is the point: trust such servers by passing their CA bundle path as `verify` instead. aiohttp and urllib3 findings have no automatic fix.',
      references: [
        'https://requests.readthedocs.io/en/latest/user/advanced/#ssl-cert-verification',
        'https://www.python-httpx.org/advanced/ssl/',
        'https://urllib3.readthedocs.io/en/stable/advanced-usage.html#certificate-verification',
        'https://docs.aiohttp.org/en/stable/client_advanced.html#ssl-control-for-tcp-sockets',
        'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html',
      ],
    },
    fixable: true,
  },
  // Resolved callees are judged by name; methods of unresolved receivers by method name.
  callFilter: (name, method) =>
    name !== null ? QUALIFIED.has(name) : REQUESTS_SESSION_METHODS.has(method) || AIOHTTP_SESSION_METHODS.has(method),
  textFilters: { assignment: (text) => text.includes('verify') },
  create(ctx) {
    const reportVerify = (call: SyntaxNode, name: string): void => {
      const kw = keywordArgNode(call, 'verify');
      const value = keywordArg(call, 'verify');
      const how = falseValue(ctx, value);
      if (!kw || !value || !how) return;
      ctx.report({
        node: kw,
        messageId: 'verify',
        data: { call: name },
        ...(how === 'literal' ? { fix: ctx.replace(unparen(value), 'True', 'Verify TLS certificates') } : {}),
      });
    };

    const reportAiohttp = (call: SyntaxNode, name: string): void => {
      for (const arg of ['ssl', 'verify_ssl']) {
        const kw = keywordArgNode(call, arg);
        if (kw && falseValue(ctx, keywordArg(call, arg))) {
          ctx.report({ node: kw, messageId: 'aiohttpSsl', data: { call: name, arg } });
        }
      }
    };

    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (name) {
          if (REQUESTS_FUNCTIONS.has(name) || HTTPX_CALLS.has(name)) return reportVerify(node, name);
          if (URLLIB3_POOLS.has(name)) {
            const value = keywordArg(node, 'cert_reqs');
            if (!value) return;
            const q = ctx.qualifiedName(unparen(value));
            const s = constantString(ctx, value);
            if ((q && CERT_NONE.has(q)) || s === 'CERT_NONE' || s === 'NONE') {
              ctx.report({ node: keywordArgNode(node, 'cert_reqs') ?? node, messageId: 'certNone', data: { call: name } });
            }
            return;
          }
          if (AIOHTTP_CONNECTORS.has(name) || AIOHTTP_FUNCTIONS.has(name)) return reportAiohttp(node, name);
          return;
        }
        // Methods of a session or client whose construction we can see.
        const m = methodCall(node);
        if (!m) return;
        if (REQUESTS_SESSION_METHODS.has(m.method)) {
          const made = producedBy(ctx, m.receiver);
          if (made && REQUESTS_SESSIONS.has(made)) return reportVerify(node, `session.${m.method}`);
        }
        if (AIOHTTP_SESSION_METHODS.has(m.method)) {
          const made = producedBy(ctx, m.receiver);
          if (made && AIOHTTP_SESSIONS.has(made)) reportAiohttp(node, `session.${m.method}`);
        }
      },
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (left?.type !== 'attribute' || left.childForFieldName('attribute')?.text !== 'verify') return;
        if (!right || !isFalse(unparen(right))) return;
        const made = producedBy(ctx, left.childForFieldName('object'));
        if (!made || !REQUESTS_SESSIONS.has(made)) return;
        ctx.report({
          node,
          messageId: 'sessionVerify',
          fix: ctx.replace(unparen(right), 'True', 'Verify TLS certificates'),
        });
      },
    };
  },
});
