import rule from '../../src/rules/secure-coding/ldap-injection.js';
import { ruleTester } from '../helpers/rule-tester.js';

const L3 = 'from flask import Flask, request\nfrom ldap3 import Connection, Server\napp = Flask(__name__)\nconn = Connection(Server("ldap://ldap.example.com"), auto_bind=True)\n';
const PL = 'from flask import Flask, request\nimport ldap\napp = Flask(__name__)\nl = ldap.initialize("ldap://ldap.example.com")\n';

ruleTester(rule, {
  valid: [
    { name: 'constant filter', code: L3 + 'def v():\n    conn.search("dc=example,dc=com", "(objectClass=person)")' },
    { name: 'escape_filter_chars (ldap3)', code: L3 + 'from ldap3.utils.conv import escape_filter_chars\ndef v():\n    u = escape_filter_chars(request.args["u"])\n    conn.search("dc=example,dc=com", f"(uid={u})")' },
    { name: 'escape_filter_chars (python-ldap)', code: PL + 'from ldap.filter import escape_filter_chars\ndef v():\n    u = request.args["u"]\n    l.search_s("dc=ex", ldap.SCOPE_SUBTREE, "(uid=%s)" % escape_filter_chars(u))' },
    { name: 'filter_format', code: PL + 'import ldap.filter\ndef v():\n    f = ldap.filter.filter_format("(uid=%s)", [request.args["u"]])\n    l.search_s("dc=ex", ldap.SCOPE_SUBTREE, f)' },
    { name: 'tainted value in attrlist only', code: PL + 'def v():\n    l.search_s("dc=ex", ldap.SCOPE_SUBTREE, "(uid=bob)", [request.args["attr"]])' },
    { name: 're.search in an ldap3 module', code: L3 + 'import re\ndef v():\n    return re.search(r"\\d+", request.args["q"])' },
    { name: 'compiled regex .search', code: L3 + 'import re\nPAT = re.compile(r"^[a-z]+$")\ndef v():\n    return PAT.search(request.args["q"])' },
    { name: 'search on an unrelated object', code: L3 + 'def v(index):\n    return index.search(request.args["q"], limit=10)' },
    { name: 'module without ldap imports', code: 'from flask import request\ndef v(conn):\n    conn.search("dc=ex", f"(uid={request.args[\'u\']})")' },
    { name: 'overwritten before the sink', code: L3 + 'def v():\n    u = request.args["u"]\n    u = "guest"\n    conn.search("dc=ex", f"(uid={u})")' },
    { name: 'allow-listed with isalnum', code: L3 + 'def v():\n    u = request.args["u"]\n    if not u.isalnum():\n        abort(400)\n    conn.search("dc=ex", f"(uid={u})")' },
    { name: 'same sink with a non-tainted built filter', code: L3 + 'def v(group):\n    conn.search("dc=ex", f"(memberOf=cn={group},dc=ex)")\ndef main():\n    v("admins")' },
    { name: 'local function named search_s', code: 'import ldap\nfrom flask import request\ndef search_s(a, b, c):\n    return a\ndef v():\n    return search_s(request.args["b"], 2, request.args["f"])' },
  ],
  invalid: [
    {
      name: 'ldap3 filter from request.args',
      code: L3 + 'def v():\n    u = request.args["u"]\n    conn.search("dc=example,dc=com", f"(uid={u})")',
      errors: [{ line: 7, column: 38, messageId: 'tainted' }],
    },
    {
      name: 'ldap3 keywords and base DN',
      code: L3 + 'def v():\n    ou = request.form["ou"]\n    conn.search(search_base="ou=" + ou + ",dc=ex", search_filter="(objectClass=*)")',
      errors: [{ line: 7, messageId: 'tainted' }],
    },
    {
      name: 'ldap3 connection built in the function',
      code: 'from flask import request\nimport ldap3\ndef v():\n    c = ldap3.Connection("ldap://x", auto_bind=True)\n    c.search("dc=ex", "(cn=%s)" % request.args["cn"])',
      errors: [{ line: 5, messageId: 'tainted' }],
    },
    {
      name: 'ldap3 with-statement connection and paged_search',
      code: 'from flask import request\nfrom ldap3 import Connection\ndef v():\n    with Connection("ldap://x") as ldap_conn:\n        ldap_conn.extend.standard.paged_search("dc=ex", "(mail=" + request.args["m"] + ")")',
      errors: [{ line: 5, messageId: 'tainted' }],
    },
    {
      name: 'python-ldap search_s filterstr positional',
      code: PL + 'def v():\n    u = request.args.get("u")\n    return l.search_s("dc=ex", ldap.SCOPE_SUBTREE, "(uid=%s)" % u)',
      errors: [{ line: 7, messageId: 'tainted' }],
    },
    {
      name: 'python-ldap search_ext_s filterstr keyword',
      code: PL + 'def v():\n    return l.search_ext_s("dc=ex", ldap.SCOPE_SUBTREE, filterstr=f"(cn={request.values[\'cn\']})")',
      errors: [{ line: 6, messageId: 'tainted' }],
    },
    {
      name: 'Django view URL parameter into python-ldap base',
      code: 'from django.http import HttpResponse\nimport ldap\ndef view(request, ou):\n    con = ldap.initialize("ldap://x")\n    con.search_s("ou=%s,dc=ex" % ou, ldap.SCOPE_SUBTREE)\n    return HttpResponse("ok")',
      errors: [{ line: 5, messageId: 'tainted' }],
    },
    {
      name: 'through a helper function',
      code: L3 + 'def find(user):\n    return conn.search("dc=ex", "(&(uid=" + user + ")(objectClass=person))")\ndef v():\n    return find(request.json["user"])',
      errors: [{ line: 6, messageId: 'tainted' }],
    },
    {
      name: 'Django GET with ldap3 search',
      code: 'from django.http import JsonResponse\nfrom ldap3 import Connection\ndef view(request):\n    conn = Connection("ldap://x")\n    q = request.GET.get("q", "")\n    conn.search("dc=ex", f"(cn=*{q}*)")\n    return JsonResponse({})',
      errors: [{ line: 6, messageId: 'tainted' }],
    },
  ],
});
