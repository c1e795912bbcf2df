import { createTaintRule, methodName, type SinkArgument } from '../taint-rule.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, unparen } from '../../python/ast.js';
import { builtString, constantString } from '../../python/values.js';

/** lxml classes compiling an XPath expression: the expression is argument 0 (`path`). */
const XPATH_CLASSES = new Set(['lxml.etree.XPath', 'lxml.etree.ETXPath']);

/** ElementTree methods taking an ElementPath expression (a subset of XPath). */
const ELEMENT_PATH_METHODS = new Set(['find', 'findall', 'findtext', 'iterfind']);

/** Does any scope of the module import one of `pkgs` (or a submodule)? */
function importsAny(ctx: RuleContext, pkgs: readonly string[]): boolean {
  return ctx.allScopes().some((sc) =>
    [...sc.imports.values()].some((m) => pkgs.some((p) => m === p || m.startsWith(`${p}.`))),
  );
}

/** How a call is named in messages: `tree.xpath()`, or `.xpath()` for long receivers. */
function display(call: SyntaxNode): string {
  const fn = call.childForFieldName('function');
  const text = fn?.text.replace(/\s+/g, '') ?? '';
  if (text.length > 0 && text.length <= 40) return `${text}()`;
  return `.${methodName(call)}()`;
}

/** A receiver that is itself a string (`"a,b".find(x)`, `s.find(...)` with `s = "..."`). */
function isStringReceiver(ctx: RuleContext, call: SyntaxNode): boolean {
  const fn = call.childForFieldName('function');
  const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
  if (!obj) return false;
  const o = unparen(obj);
  if (o.type === 'string' || o.type === 'concatenated_string') return true;
  return constantString(ctx, o) !== null || builtString(ctx, o) !== null;
}

export function xpathSinks(ctx: RuleContext, call: SyntaxNode): SinkArgument[] {
  const q = ctx.calleeName(call);
  if (q !== null && XPATH_CLASSES.has(q)) {
    const expr = argument(call, 0, 'path');
    return expr ? [{ node: expr, sink: `${q.split('.').pop() ?? q}()` }] : [];
  }
  const method = methodName(call);
  if (method === 'xpath') {
    // `tree.xpath(expr, **variables)`: XPath variables (`$name`) are bound safely, only the
    // expression is a sink. Parsel/Scrapy selectors have the same method: lxml must be imported.
    if (!importsAny(ctx, ['lxml'])) return [];
    const expr = argument(call, 0, '_path');
    return expr ? [{ node: expr, sink: display(call) }] : [];
  }
  if (ELEMENT_PATH_METHODS.has(method)) {
    // `str.find` and friends share the names: only a path built at run time, in a module
    // using ElementTree or lxml, on a receiver that is not a string.
    if (q !== null && (q.startsWith('str.') || q.startsWith('bytes.'))) return [];
    if (!importsAny(ctx, ['xml.etree', 'lxml'])) return [];
    if (isStringReceiver(ctx, call)) return [];
    const path = argument(call, 0, 'path');
    if (!path || builtString(ctx, path) === null) return [];
    return [{ node: path, sink: display(call) }];
  }
  return [];
}

export default createTaintRule({
  kind: 'xpath',
  meta: {
    id: 'xpath-injection',
    area: 'secure-coding',
    summary: 'Attacker-controlled input is pasted into an XPath expression.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-643'],
    owasp: ['A03:2021'],
    messages: {
      tainted:
        'XPath injection: {{source}} is pasted into the XPath expression of `{{sink}}`; a crafted value such as `\' or \'1\'=\'1` changes which nodes the query selects. Pass it as an XPath variable (`$name`) instead.',
    },
    docs: {
      whatItDoes:
        'Follows attacker-controlled data (Flask/Django/FastAPI request data and route parameters, `input()`, `sys.argv`, and sources you declare) through assignments, string building and functions of the same module to the expression of lxml `.xpath()`, `lxml.etree.XPath()` and `lxml.etree.ETXPath()` (in modules that import lxml), and to the path of ElementTree `find()`/`findall()`/`findtext()`/`iterfind()` when that path is built at run time (f-string, `+`, `.format()`, `%`) in a module that imports `xml.etree` or lxml. Values bound as XPath variables (`tree.xpath("//user[@name=$name]", name=name)`) are never flagged, nor are constant expressions, values converted with `int()`, checked against an allow-list, or escaped with `xml.sax.saxutils.quoteattr()`. `str.find()` is not an XPath sink.',
      whyBad:
        'XPath has no prepared statements by default: a value pasted into the expression becomes part of the query. With `//user[@name=\'{name}\' and @password=\'{pw}\']`, the input `\' or \'1\'=\'1` selects every user and bypasses a login; other inputs read parts of the document the page was never meant to show (CWE-643).',
      example:
        'from flask import Flask, request\nfrom lxml import etree\n\napp = Flask(__name__)\nTREE = etree.parse("users.xml")\n\n@app.route("/user")\ndef user():\n    name = request.args.get("name", "")\n    nodes = TREE.xpath(f"//user[@name=\'{name}\']")\n    return {"found": len(nodes)}',
      useInstead:
        'from flask import Flask, request\nfrom lxml import etree\n\napp = Flask(__name__)\nTREE = etree.parse("users.xml")\n\n@app.route("/user")\ndef user():\n    name = request.args.get("name", "")\n    nodes = TREE.xpath("//user[@name=$name]", name=name)\n    return {"found": len(nodes)}',
      fixSafety:
        'No automatic fix: rewriting the expression to use XPath variables (lxml) or an attribute comparison in Python (ElementTree has no variables) changes the code around the query. If you have a validation function pysec does not know, declare it under `taint.sanitizers` in `.github/pysec.yml`.',
      references: [
        'https://owasp.org/www-community/attacks/XPATH_Injection',
        'https://lxml.de/xpathxslt.html#the-xpath-method',
        'https://docs.python.org/3/library/xml.etree.elementtree.html#elementtree-xpath',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) =>
    method === 'xpath' || ELEMENT_PATH_METHODS.has(method) || (name !== null && XPATH_CLASSES.has(name)),
  sinks: xpathSinks,
});
