import { createTaintRule, methodName, type SinkArgument } from '../taint-rule.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, intValue, isFalse, isTrue, keywordArg, unparen } from '../../python/ast.js';
import { builtString } from '../../python/values.js';
import { producedBy } from '../../python/receivers.js';

/**
 * Parsing functions of the standard library and lxml: the document is argument 0, given by
 * keyword as the value. `parse`-style functions also take a file name (see `FILE_FUNCTIONS`).
 */
const PARSE_FUNCTIONS = new Map<string, string>(Object.entries({
  'xml.etree.ElementTree.fromstring': 'text',
  'xml.etree.ElementTree.fromstringlist': 'sequence',
  'xml.etree.ElementTree.XML': 'text',
  'xml.etree.ElementTree.parse': 'source',
  'xml.etree.ElementTree.iterparse': 'source',
  'xml.etree.cElementTree.fromstring': 'text',
  'xml.etree.cElementTree.XML': 'text',
  'xml.etree.cElementTree.parse': 'source',
  'xml.etree.cElementTree.iterparse': 'source',
  'xml.dom.minidom.parseString': 'string',
  'xml.dom.minidom.parse': 'file',
  'xml.dom.pulldom.parseString': 'string',
  'xml.dom.pulldom.parse': 'stream_or_string',
  'xml.sax.parseString': 'string',
  'xml.sax.parse': 'source',
  'lxml.etree.fromstring': 'text',
  'lxml.etree.XML': 'text',
  'lxml.etree.parse': 'source',
}));

/** Functions whose argument may be a file name rather than a document. */
const FILE_FUNCTIONS = /\.(?:parse|iterparse)$/;

/** Parser classes with a `feed()` method. */
const FEED_PARSERS = new Set([
  'xml.etree.ElementTree.XMLParser',
  'xml.etree.ElementTree.XMLPullParser',
  'xml.etree.cElementTree.XMLParser',
  'lxml.etree.XMLParser',
  'lxml.etree.XMLPullParser',
]);

/** lxml parser factories (the ones `xml-external-entities` inspects). */
const LXML_PARSERS = new Set([
  'lxml.etree.XMLParser',
  'lxml.etree.XMLPullParser',
  'lxml.etree.ETCompatXMLParser',
  'lxml.etree.iterparse',
  'lxml.objectify.makeparser',
]);

/** Calls that build a file-system path: the attacker picks a file, not its content. */
const PATH_BUILDERS = new Set(['open', 'os.path.join', 'posixpath.join', 'pathlib.Path', 'pathlib.PurePath', 'io.open', 'codecs.open']);

function constantBool(ctx: RuleContext, node: SyntaxNode | null): boolean | null {
  if (!node) return null;
  let n = unparen(node);
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    if (!v || v.id === n.id) return null;
    n = unparen(v);
  }
  if (isTrue(n) || intValue(n) === 1) return true;
  if (isFalse(n) || intValue(n) === 0) return false;
  return null;
}

/**
 * How an lxml parser construction call is configured: `unsafe` when `xml-external-entities`
 * already reports it (entities or network access turned on), `hardened` when entity
 * resolution is explicitly off, `default` otherwise.
 */
function lxmlParserConfig(ctx: RuleContext, parserCall: SyntaxNode): 'unsafe' | 'hardened' | 'default' {
  const resolve = constantBool(ctx, keywordArg(parserCall, 'resolve_entities'));
  if (resolve === true) return 'unsafe';
  if (constantBool(ctx, keywordArg(parserCall, 'no_network')) === false && resolve !== false) return 'unsafe';
  return resolve === false ? 'hardened' : 'default';
}

/** The lxml parser call a `parser=` argument was built by, if known. */
function parserCallOf(ctx: RuleContext, node: SyntaxNode | null): SyntaxNode | null {
  if (!node) return null;
  const n = unparen(node);
  const v = n.type === 'identifier' ? ctx.valueOf(n) : n;
  if (!v || v.id === n.id) return null;
  const c = unparen(v);
  if (c.type !== 'call') return null;
  const q = ctx.calleeName(c);
  return q !== null && LXML_PARSERS.has(q) ? c : null;
}

/** A value that is a file-system path built by the code (not the document itself). */
function isPathExpression(ctx: RuleContext, node: SyntaxNode): boolean {
  const n = unparen(node);
  if (n.type === 'call') {
    const q = ctx.calleeName(n);
    if (q !== null && PATH_BUILDERS.has(q)) return true;
    return false;
  }
  if (builtString(ctx, n) !== null) return true;
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    return !!v && v.id !== n.id && isPathExpression(ctx, v);
  }
  return false;
}

export function xmlSinks(ctx: RuleContext, call: SyntaxNode): SinkArgument[] {
  const q = ctx.calleeName(call);
  if (q !== null && PARSE_FUNCTIONS.has(q)) {
    const doc = argument(call, 0, PARSE_FUNCTIONS.get(q));
    if (!doc) return [];
    // `ET.parse(os.path.join(DIR, name))`: the attacker chooses a file (path traversal), not the XML.
    if (FILE_FUNCTIONS.test(q) && isPathExpression(ctx, doc)) return [];
    if (q.startsWith('lxml.')) {
      const parser = parserCallOf(ctx, argument(call, 1, 'parser'));
      if (parser) {
        const config = lxmlParserConfig(ctx, parser);
        // `unsafe`: xml-external-entities reports the parser; `hardened`: nothing to expand.
        if (config !== 'default') return [];
      }
    }
    const short = q.replace(/^xml\.etree\.c?ElementTree\./, 'ElementTree.').replace(/^xml\.dom\./, '').replace(/^lxml\./, '');
    return [{ node: doc, sink: `${short}()` }];
  }
  if (methodName(call) === 'feed') {
    const fn = call.childForFieldName('function');
    const obj = fn?.type === 'attribute' ? fn.childForFieldName('object') : null;
    if (!obj) return [];
    const made = producedBy(ctx, unparen(obj));
    if (made === null || !FEED_PARSERS.has(made)) return [];
    if (made.startsWith('lxml.')) {
      const parserCall = unparen(obj).type === 'call' ? unparen(obj) : parserCallOf(ctx, obj);
      if (parserCall && lxmlParserConfig(ctx, parserCall) !== 'default') return [];
    }
    const data = argument(call, 0, 'data');
    return data ? [{ node: data, sink: `${made.split('.').pop() ?? made}.feed()` }] : [];
  }
  return [];
}

export default createTaintRule({
  kind: 'xml',
  meta: {
    id: 'untrusted-xml-parse',
    area: 'secure-coding',
    summary: 'Attacker-controlled XML is parsed with a parser that expands entities.',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-611', 'CWE-776'],
    owasp: ['A05:2021'],
    messages: {
      tainted:
        'Untrusted XML: {{source}} is parsed by `{{sink}}`, which expands entities declared in the document; a crafted upload can exhaust memory ("billion laughs") or, with lxml, read local files (XXE). Parse untrusted XML with defusedxml.',
    },
    docs: {
      whatItDoes:
        'Follows attacker-controlled data (request bodies, uploaded files, request parameters, `input()`, `sys.argv`, socket reads, and sources you declare) to the standard library and lxml parsers: `xml.etree.ElementTree.fromstring/XML/parse/iterparse` and `XMLParser().feed()`, `xml.dom.minidom.parseString/parse`, `xml.dom.pulldom.parseString/parse`, `xml.sax.parseString/parse`, and `lxml.etree.fromstring/XML/parse`. Not flagged: `defusedxml` (its functions have other names), lxml calls given a parser built with `resolve_entities=False`, documents from constants or files the code chooses, `parse()` of a path built by the code (that is a path-traversal question), and parsers explicitly configured to resolve external entities, which `xml-external-entities` already reports.',
      whyBad:
        'XML lets a document declare entities that the parser expands: nested entity definitions turn a few kilobytes into gigabytes of text ("billion laughs", CWE-776) and take the process down, and lxml\'s default parser (before lxml 5) also resolves external entities that read local files such as `file:///etc/passwd` into the parsed document (XXE, CWE-611). The Python documentation warns that the standard library parsers are not secure against maliciously constructed data and recommends defusedxml for untrusted input.',
      example:
        'from flask import Flask, request\nimport xml.etree.ElementTree as ET\n\napp = Flask(__name__)\n\n@app.route("/import", methods=["POST"])\ndef import_items():\n    root = ET.fromstring(request.get_data())\n    return {"items": len(root)}',
      useInstead:
        'from flask import Flask, request\nimport defusedxml.ElementTree as ET\n\napp = Flask(__name__)\n\n@app.route("/import", methods=["POST"])\ndef import_items():\n    root = ET.fromstring(request.get_data())\n    return {"items": len(root)}',
      fixSafety:
        'No automatic fix: defusedxml offers drop-in modules (`defusedxml.ElementTree`, `defusedxml.minidom`, `defusedxml.sax`, `defusedxml.pulldom`) but raises on documents with DTD entities, which legitimate inputs rarely but occasionally use. For lxml, pass `etree.XMLParser(resolve_entities=False, no_network=True)`.',
      references: [
        'https://docs.python.org/3/library/xml.html#xml-vulnerabilities',
        'https://github.com/tiran/defusedxml',
        'https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html',
        'https://lxml.de/FAQ.html#how-do-i-use-lxml-safely-as-a-web-service-endpoint',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => method === 'feed' || (name !== null && PARSE_FUNCTIONS.has(name)),
  sinks: xmlSinks,
});
