import { createTaintRule, methodName, receiverName, type SinkArgument } from '../taint-rule.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, unparen } from '../../python/ast.js';
import { producedBy } from '../../python/receivers.js';

/** python-ldap search methods: the base DN is argument 0, the filter argument 2 (`filterstr`). */
const PYTHON_LDAP_METHODS = new Set(['search', 'search_s', 'search_st', 'search_ext', 'search_ext_s']);

/** ldap3 search methods: `search(search_base, search_filter, ...)`. */
const LDAP3_METHODS = new Set(['search', 'paged_search']);

/** Receivers named like a directory connection (when nothing better is known). */
const CONNECTION_NAME = /^(?:c|l|con|conn|connection|ld|ldap|ldap_?conn(?:ection)?|ldapobj|ldo|client|ad|directory|server|standard)$|conn(?:ection)?$|ldap/i;

function importsAny(ctx: RuleContext, pkgs: readonly string[]): boolean {
  return ctx.allScopes().some((sc) =>
    [...sc.imports.values()].some((m) => pkgs.some((p) => m === p || m.startsWith(`${p}.`))),
  );
}

function display(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  const text = fn?.text.replace(/\s+/g, '') ?? '';
  if (text.length > 0 && text.length <= 40) return `${text}()`;
  return `.${methodName(call)}()`;
}

type Library = 'ldap3' | 'python-ldap';

/** Which library's connection the receiver of `call` is, or null when it is not one. */
function libraryOf(ctx: RuleContext, call: SyntaxNode, method: string): Library | null {
  const q = ctx.calleeName(call);
  // `re.search(...)`, `Model.objects.search` imported under a name: not a directory call.
  if (q !== null) {
    if (q.startsWith('ldap3.')) return 'ldap3';
    if (q.startsWith('ldap.')) return 'python-ldap';
    return null;
  }
  const fn = call.childForFieldName('function');
  const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (!obj) return null;
  const made = producedBy(ctx, unparen(obj));
  const ldap3 = importsAny(ctx, ['ldap3']);
  const pyldap = importsAny(ctx, ['ldap']);
  if (made !== null) {
    if (made.startsWith('ldap3.')) return 'ldap3';
    if (made.startsWith('ldap.')) return 'python-ldap';
    return null; // a compiled regex, a search engine client...
  }
  if (method === 'paged_search') return ldap3 ? 'ldap3' : null;
  if (method !== 'search') {
    // python-ldap's `search_s`/`search_ext_s` are distinctive names.
    return pyldap ? 'python-ldap' : null;
  }
  if (!CONNECTION_NAME.test(receiverName(call) ?? '')) return null;
  if (ldap3) return 'ldap3';
  return pyldap ? 'python-ldap' : null;
}

export function ldapSinks(ctx: RuleContext, call: SyntaxNode): SinkArgument[] {
  const method = methodName(call);
  if (!PYTHON_LDAP_METHODS.has(method) && !LDAP3_METHODS.has(method)) return [];
  const lib = libraryOf(ctx, call, method);
  if (!lib) return [];
  const sink = display(call);
  const out: SinkArgument[] = [];
  if (lib === 'ldap3') {
    if (!LDAP3_METHODS.has(method)) return [];
    const base = argument(call, 0, 'search_base');
    const filter = argument(call, 1, 'search_filter');
    if (base) out.push({ node: base, sink });
    if (filter) out.push({ node: filter, sink });
  } else {
    if (!PYTHON_LDAP_METHODS.has(method)) return [];
    const base = argument(call, 0, 'base');
    const filter = argument(call, 2, 'filterstr');
    if (base) out.push({ node: base, sink });
    if (filter) out.push({ node: filter, sink });
  }
  return out;
}

export default createTaintRule({
  kind: 'ldap',
  meta: {
    id: 'ldap-injection',
    area: 'secure-coding',
    summary: 'Attacker-controlled input is pasted into an LDAP search filter or base DN.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-90'],
    owasp: ['A03:2021'],
    messages: {
      tainted:
        'LDAP injection: {{source}} reaches the search filter or base DN of `{{sink}}` without escaping; a value such as `*)(uid=*` changes which directory entries match. Escape it with `escape_filter_chars()` (filters) or `escape_rdn()`/`escape_dn_chars()` (DNs).',
    },
    docs: {
      whatItDoes:
        'Follows attacker-controlled data (Flask/Django/FastAPI request data and route parameters, `input()`, `sys.argv`, and sources you declare) through assignments, string building and functions of the same module to the search base and search filter of ldap3 `Connection.search()`/`paged_search()` (in modules importing ldap3) and python-ldap `search()`, `search_s()`, `search_st()`, `search_ext()`, `search_ext_s()` (in modules importing ldap). Values escaped with `ldap3.utils.conv.escape_filter_chars`, `ldap.filter.escape_filter_chars`, `ldap.filter.filter_format`, `ldap3.utils.dn.escape_rdn` or `ldap.dn.escape_dn_chars` are not flagged, nor are constants, `int()` conversions and allow-listed values. `re.search()` and other `search` methods are not LDAP sinks.',
      whyBad:
        'LDAP filters are text: `(&(uid={user})(objectClass=person))` with the user name `*)(|(uid=*` matches every entry, and `admin)(|(a=*` can turn a password check or a group-membership test into one that always succeeds. Attackers use it to bypass directory logins, enumerate users and read attributes they should not see (CWE-90).',
      example:
        'from flask import Flask, request\nfrom ldap3 import Connection, Server\n\napp = Flask(__name__)\n\n@app.route("/lookup")\ndef lookup():\n    user = request.args["user"]\n    conn = Connection(Server("ldap://ldap.example.com"), auto_bind=True)\n    conn.search("dc=example,dc=com", f"(uid={user})")\n    return {"entries": len(conn.entries)}',
      useInstead:
        'from flask import Flask, request\nfrom ldap3 import Connection, Server\nfrom ldap3.utils.conv import escape_filter_chars\n\napp = Flask(__name__)\n\n@app.route("/lookup")\ndef lookup():\n    user = escape_filter_chars(request.args["user"])\n    conn = Connection(Server("ldap://ldap.example.com"), auto_bind=True)\n    conn.search("dc=example,dc=com", f"(uid={user})")\n    return {"entries": len(conn.entries)}',
      fixSafety:
        'No automatic fix: filter values need `escape_filter_chars()` while DN components need `escape_rdn()`/`escape_dn_chars()`, and which applies depends on where the value goes. If you have a validation function pysec does not know, declare it under `taint.sanitizers` in `.github/pysec.yml`.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/LDAP_Injection_Prevention_Cheat_Sheet.html',
        'https://ldap3.readthedocs.io/en/latest/searches.html',
        'https://www.python-ldap.org/en/latest/reference/ldap-filter.html',
      ],
    },
    fixable: false,
  },
  callFilter: (_name, method) => PYTHON_LDAP_METHODS.has(method) || LDAP3_METHODS.has(method),
  sinks: ldapSinks,
});
