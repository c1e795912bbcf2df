import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, keywordArg, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';
import { importsPackage } from '../../python/module-info.js';

/** Hosts that mean "every interface" in a host/bind position. */
const ALL_INTERFACES = new Set(['0.0.0.0', '::']);

const SOCKET_CONSTRUCTORS = new Set(['socket.socket', 'socket.SocketType']);

/** Server classes/functions whose first argument (or `keyword`) is a `(host, port)` address. */
const ADDRESS_TUPLE: Record<string, string> = {
  'socket.create_server': 'address',
  'socketserver.TCPServer': 'server_address',
  'socketserver.UDPServer': 'server_address',
  'socketserver.ThreadingTCPServer': 'server_address',
  'socketserver.ThreadingUDPServer': 'server_address',
  'socketserver.ForkingTCPServer': 'server_address',
  'socketserver.ForkingUDPServer': 'server_address',
  'http.server.HTTPServer': 'server_address',
  'http.server.ThreadingHTTPServer': 'server_address',
  'xmlrpc.server.SimpleXMLRPCServer': 'addr',
  'xmlrpc.server.DocXMLRPCServer': 'addr',
  'gevent.pywsgi.WSGIServer': 'listener',
  'gevent.server.StreamServer': 'listener',
};

/** Functions taking the host as a plain argument: [positional index or -1, keyword]. */
const HOST_ARGUMENT: Record<string, [number, string]> = {
  'wsgiref.simple_server.make_server': [0, 'host'],
  'werkzeug.serving.run_simple': [0, 'hostname'],
  'werkzeug.run_simple': [0, 'hostname'],
  'asyncio.start_server': [1, 'host'],
  'uvicorn.run': [-1, 'host'],
  'uvicorn.Config': [-1, 'host'],
  'uvicorn.config.Config': [-1, 'host'],
  'aiohttp.web.run_app': [-1, 'host'],
  'bottle.run': [-1, 'host'],
  'waitress.serve': [-1, 'host'],
};

/** Application classes whose `.run(host=...)` starts a development server; host is also the first positional. */
/**
 * `app = create_app()`: an application factory of this module or the project, in a module that
 * uses one of the frameworks whose `run()` takes a host.
 */
function fromAppFactory(ctx: RuleContext, name: SyntaxNode): boolean {
  const v = ctx.valueOf(name);
  const call = v ? unparen(v) : null;
  const fn = call?.type === 'call' ? call.childForFieldName('function') : null;
  if (!fn || !/^(?:create|make|build|get|init)_?app(?:lication)?$/i.test(fn.type === 'identifier' ? fn.text : '')) return false;
  return ['flask', 'quart', 'sanic', 'bottle'].some((p) => importsPackage(ctx, p));
}

const APP_CONSTRUCTORS = new Set(['flask.Flask', 'flask.app.Flask', 'quart.Quart', 'sanic.Sanic', 'bottle.Bottle']);

/** The first element of a `(host, port)` tuple, following a name bound once to the tuple. */
function hostOfAddress(ctx: RuleContext, node: SyntaxNode | null): SyntaxNode | null {
  if (!node) return null;
  let n = unparen(node);
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    if (!v || v.id === n.id) return null;
    n = unparen(v);
  }
  if (n.type !== 'tuple') return null;
  return n.namedChildren.find((c) => c.type !== 'comment') ?? null;
}

/** `s` bound by `with socket.socket(...) as s:` around `node`. */
function boundBySocketWith(ctx: RuleContext, receiver: SyntaxNode): boolean {
  for (let n = receiver.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') return false;
    if (n.type !== 'with_statement') continue;
    for (const clause of n.namedChildren) {
      if (clause.type !== 'with_clause') continue;
      for (const item of clause.namedChildren) {
        const value = item.childForFieldName('value');
        if (value?.type !== 'as_pattern') continue;
        const target = value.childForFieldName('alias')?.namedChild(0);
        const call = value.namedChild(0);
        if (target?.type === 'identifier' && target.text === receiver.text && call?.type === 'call') {
          const name = ctx.calleeName(call);
          return name !== null && (SOCKET_CONSTRUCTORS.has(name) || name === 'socket.create_server');
        }
      }
    }
  }
  return false;
}

function isSocket(ctx: RuleContext, receiver: SyntaxNode | null): boolean {
  if (!receiver) return false;
  const r = unparen(receiver);
  if (r.type !== 'identifier') return false;
  const constructor = ctx.constructedBy(r);
  if (constructor !== null) return SOCKET_CONSTRUCTORS.has(constructor);
  return boundBySocketWith(ctx, r);
}

export default createRule({
  meta: {
    id: 'bind-all-interfaces',
    area: 'sensitive-data',
    summary: 'A server or socket binds to every network interface (`0.0.0.0`, `::`).',
    severity: 'low',
    confidence: 'medium',
    cwe: ['CWE-1327', 'CWE-605'],
    owasp: ['A05:2021'],
    bandit: ['B104'],
    ruff: ['S104'],
    messages: {
      bind: '`{{api}}` binds to `{{host}}`, every network interface: the service is reachable from any network the machine is on, not only from this host.',
    },
    docs: {
      whatItDoes:
        'Flags an all-interfaces address (`"0.0.0.0"`, `"::"`, and for sockets also `""`) written as a constant in a host or bind position: `sock.bind(("0.0.0.0", port))` on a socket created by `socket.socket(...)` (assigned or bound by `with ... as`), `socket.create_server(("", port))`, `socketserver`/`http.server`/`xmlrpc.server`/gevent servers constructed with such an address tuple, `wsgiref.simple_server.make_server`, `werkzeug.serving.run_simple`, `asyncio.start_server`, `uvicorn.run`/`uvicorn.Config`, `aiohttp.web.run_app`, `bottle.run` and `waitress.serve` with `host="0.0.0.0"`, and `app.run(host="0.0.0.0")` on a Flask, Quart, Sanic or Bottle application. Unlike Bandit\'s B104, the same string elsewhere (a log message, a comparison, a default of `os.environ.get("HOST", "0.0.0.0")`) is not flagged, nor is a host read from configuration or the environment. Findings are reported at low severity and medium confidence: inside a container, binding every interface is usually necessary, because the port is published through the container\'s own network interface. Code inside `if __name__ == "__main__":` is flagged too, since that block is usually what starts the server in a container or on a VM. Suppress with `# pysec: ignore[bind-all-interfaces]` (or `# nosec B104`) where the exposure is intended.',
      whyBad:
        'A service bound to `0.0.0.0` (or `::`) accepts connections on every interface: the public network, a corporate LAN, a VPN, a Docker bridge. Development servers, admin consoles, debug endpoints and internal APIs are often written assuming only local clients, without authentication or TLS; binding them to every interface exposes them to anyone who can reach the machine, and a firewall mistake is then all it takes.',
      example:
        'import socket\n\nsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nsock.bind(("0.0.0.0", 8080))\n\napp.run(host="0.0.0.0", port=5000)',
      useInstead:
        'import os\nimport socket\n\n# Loopback by default; widen it explicitly per deployment (e.g. HOST=0.0.0.0 in the container image).\nHOST = os.environ.get("HOST", "127.0.0.1")\n\nsock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\nsock.bind((HOST, 8080))\n\napp.run(host=HOST, port=5000)',
      fixSafety:
        'No automatic fix: replacing the address with `127.0.0.1` would make a containerised service unreachable. Decide per deployment which interface the service should listen on.',
      references: [
        'https://docs.python.org/3/library/socket.html#socket.socket.bind',
        'https://bandit.readthedocs.io/en/latest/plugins/b104_hardcoded_bind_all_interfaces.html',
        'https://docs.astral.sh/ruff/rules/hardcoded-bind-all-interfaces/',
        'https://flask.palletsprojects.com/en/stable/server/',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) =>
    method === 'bind' || method === 'run' || (name !== null && (Object.hasOwn(ADDRESS_TUPLE, name) || Object.hasOwn(HOST_ARGUMENT, name))),
  create(ctx) {
    /** Report at `at` (the argument as written) when `host` is an all-interfaces constant. */
    const check = (at: SyntaxNode | null, host: SyntaxNode | null, api: string, allowEmpty: boolean): void => {
      if (!host || !at) return;
      const value = constantString(ctx, host);
      if (value === null) return;
      if (!ALL_INTERFACES.has(value) && !(allowEmpty && value === '')) return;
      ctx.report({ node: at, messageId: 'bind', data: { api, host: value === '' ? '""' : value } });
    };

    return {
      call(node) {
        const fn = node.childForFieldName('function');
        if (!fn) return;
        const name = ctx.calleeName(node);
        if (name !== null && Object.hasOwn(ADDRESS_TUPLE, name)) {
          const api = name.split('.').slice(-1)[0] ?? name;
          const address = argument(node, 0, ADDRESS_TUPLE[name]);
          check(address, hostOfAddress(ctx, address), `${api}()`, name === 'socket.create_server');
          return;
        }
        const hostArg = name !== null ? HOST_ARGUMENT[name] : undefined;
        if (hostArg && name !== null) {
          const [index, keyword] = hostArg;
          const host = index >= 0 ? argument(node, index, keyword) : keywordArg(node, keyword);
          check(host, host, `${name}()`, false);
          return;
        }
        if (fn.type !== 'attribute') return;
        const method = fn.childForFieldName('attribute')?.text;
        const receiver = fn.childForFieldName('object');
        if (method === 'bind') {
          if (!isSocket(ctx, receiver)) return;
          const address = argument(node, 0);
          check(address, hostOfAddress(ctx, address), 'socket.bind()', true);
        } else if (method === 'run') {
          const r = receiver ? unparen(receiver) : null;
          if (r?.type !== 'identifier') return;
          const constructor = ctx.constructedBy(r);
          const isApp =
            (constructor !== null && APP_CONSTRUCTORS.has(constructor)) ||
            ctx.qualifiedName(r) === 'flask.current_app' ||
            fromAppFactory(ctx, r);
          if (!isApp) return;
          const host = argument(node, 0, 'host');
          check(host, host, `${r.text}.run()`, false);
        }
      },
    };
  },
});
