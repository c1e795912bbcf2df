import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { hasSplat, isNone, keywordArg, keywordArgNode, unparen } from '../../python/ast.js';
import { methodCall, producedBy } from '../../python/receivers.js';

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];

/** requests' module-level functions: no timeout unless one is passed. */
const REQUESTS_FUNCTIONS = new Set(HTTP_VERBS.flatMap((v) => [`requests.${v}`, `requests.api.${v}`]));
const REQUESTS_SESSIONS = new Set([
  'requests.Session',
  'requests.session',
  'requests.sessions.Session',
  'requests.sessions.session',
]);
const SESSION_METHODS = new Set(HTTP_VERBS);

/** httpx has a 5-second default: only an explicit `timeout=None` removes it. */
const HTTPX_CALLS = new Set([...HTTP_VERBS, 'stream'].map((v) => `httpx.${v}`).concat(['httpx.Client', 'httpx.AsyncClient']));

/** The node to rewrite and its new text: the last argument followed by `, timeout=10`, or `(timeout=10)`. */
function timeoutFix(args: SyntaxNode): { node: SyntaxNode; text: string } | null {
  const named = args.namedChildren;
  const last = named[named.length - 1];
  if (!last) return args.text.replace(/\s/g, '') === '()' ? { node: args, text: '(timeout=10)' } : null;
  if (last.type === 'comment') return null;
  return { node: last, text: `${last.text}, timeout=10` };
}

export default createRule({
  meta: {
    id: 'request-without-timeout',
    area: 'secure-coding',
    summary: 'An HTTP request is made with requests without a timeout (or with `timeout=None`), so it can hang forever.',
    severity: 'low',
    confidence: 'high',
    cwe: ['CWE-400', 'CWE-1088'],
    owasp: ['A04:2021'],
    bandit: ['B113'],
    ruff: ['S113'],
    messages: {
      missing:
        '`{{call}}` has no `timeout`: requests waits forever for a server that stops answering, tying up this worker; pass `timeout=` (seconds).',
      none:
        '`{{call}}` passes `timeout=None`, which waits forever for a server that stops answering; pass a number of seconds.',
    },
    docs: {
      whatItDoes:
        'Flags calls of the `requests` library without a `timeout` argument: `requests.get/post/put/patch/delete/head/options/request(...)` and the same methods of a `requests.Session()` created in the same function or module. Also flags an explicit `timeout=None` there and on `httpx` calls and clients (httpx has a 5-second default, so omitting `timeout` there is fine). Calls that pass `**kwargs` (which may carry a timeout) and sessions that `mount()` a custom adapter (the usual way to set a default timeout) are not flagged.',
      whyBad:
        'requests has no default timeout: if the server accepts the connection and then stops sending (overload, a network partition, or a malicious endpoint reached through user-supplied URLs), the call blocks forever. Each hung call holds a worker thread or process; a handful of them exhaust a web server\'s pool and the whole service stops answering, a denial of service that needs no traffic volume.',
      example:
        'import requests\n\ndef fetch_rates():\n    return requests.get("https://api.example.com/rates").json()',
      useInstead:
        'import requests\n\ndef fetch_rates():\n    # (connect, read) timeouts in seconds\n    return requests.get("https://api.example.com/rates", timeout=(3.05, 10)).json()',
      fixSafety:
        'The fix adds `timeout=10` to a call without one. A request that legitimately takes longer than 10 seconds between bytes (a large report export, a slow batch API) will then raise `requests.exceptions.Timeout`: pick a larger value for those and make sure the caller handles the exception. `timeout=None` is not changed automatically, since someone chose it.',
      references: [
        'https://requests.readthedocs.io/en/latest/user/advanced/#timeouts',
        'https://www.python-httpx.org/advanced/timeouts/',
        'https://bandit.readthedocs.io/en/latest/plugins/b113_request_without_timeout.html',
        'https://docs.astral.sh/ruff/rules/request-without-timeout/',
      ],
    },
    fixable: true,
  },
  callFilter: (name, method) =>
    (name !== null && (REQUESTS_FUNCTIONS.has(name) || HTTPX_CALLS.has(name))) || SESSION_METHODS.has(method) || method === 'mount',
  create(ctx) {
    /** Receivers (by text and scope) on which `.mount(...)` is called: they may carry a timeout adapter. */
    const mounted = new Set<string>();
    const pending: { node: SyntaxNode; key: string; call: string }[] = [];
    const receiverKey = (receiver: SyntaxNode): string => `${ctx.scopeOf(receiver).node.id}:${unparen(receiver).text}`;

    const check = (node: SyntaxNode, call: string, defaultTimeout: boolean): 'report' | null => {
      if (hasSplat(node)) return null;
      const value = keywordArg(node, 'timeout');
      if (value) {
        if (isNone(unparen(value))) {
          ctx.report({ node: keywordArgNode(node, 'timeout') ?? node, messageId: 'none', data: { call } });
        }
        return null;
      }
      return defaultTimeout ? null : 'report';
    };

    const reportMissing = (node: SyntaxNode, call: string): void => {
      const args = node.childForFieldName('arguments');
      const edit = args?.type === 'argument_list' ? timeoutFix(args) : null;
      ctx.report({
        node,
        messageId: 'missing',
        data: { call },
        ...(edit ? { fix: ctx.replace(edit.node, edit.text, 'Add timeout=10') } : {}),
      });
    };

    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (name) {
          if (REQUESTS_FUNCTIONS.has(name)) {
            if (check(node, name, false)) reportMissing(node, name);
          } else if (HTTPX_CALLS.has(name)) {
            check(node, name, true);
          }
          return;
        }
        const m = methodCall(node);
        if (!m) return;
        if (m.method === 'mount') {
          mounted.add(receiverKey(m.receiver));
          return;
        }
        if (!SESSION_METHODS.has(m.method)) return;
        const made = producedBy(ctx, m.receiver);
        if (!made) return;
        if (REQUESTS_SESSIONS.has(made)) {
          const call = `session.${m.method}`;
          if (check(node, call, false)) pending.push({ node, key: receiverKey(m.receiver), call });
        } else if (made === 'httpx.Client' || made === 'httpx.AsyncClient') {
          check(node, `client.${m.method}`, true);
        }
      },
      'module:exit'() {
        for (const p of pending) if (!mounted.has(p.key)) reportMissing(p.node, p.call);
      },
    };
  },
});
