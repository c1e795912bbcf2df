import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, hasSplat, intValue, isFalse, isTrue, keywordArg, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';

/** lxml factories that take `resolve_entities` / `no_network` keywords. */
const LXML_PARSERS = new Set([
  'lxml.etree.XMLParser',
  'lxml.etree.XMLPullParser',
  'lxml.etree.ETCompatXMLParser',
  'lxml.etree.iterparse',
  'lxml.objectify.makeparser',
]);

/** SAX features that make the parser fetch external entities / the external DTD subset. */
const SAX_FEATURE_CONSTANTS: Record<string, string> = {
  'xml.sax.handler.feature_external_ges': 'feature_external_ges',
  'xml.sax.handler.feature_external_pes': 'feature_external_pes',
};
const SAX_FEATURE_URIS: Record<string, string> = {
  'http://xml.org/sax/features/external-general-entities': 'feature_external_ges',
  'http://xml.org/sax/features/external-parameter-entities': 'feature_external_pes',
};

/** Literal `True`/`1`, or a name bound once to one. */
function isTruthyConstant(ctx: RuleContext, node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  if (isTrue(n) || intValue(n) === 1) return true;
  if (n.type !== 'identifier') return false;
  const v = ctx.valueOf(n);
  return !!v && v.id !== n.id && (isTrue(unparen(v)) || intValue(unparen(v)) === 1);
}

/** Literal `False`/`0`, or a name bound once to one. */
function isFalsyConstant(ctx: RuleContext, node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  if (isFalse(n) || intValue(n) === 0) return true;
  if (n.type !== 'identifier') return false;
  const v = ctx.valueOf(n);
  return !!v && v.id !== n.id && (isFalse(unparen(v)) || intValue(unparen(v)) === 0);
}

function saxFeature(ctx: RuleContext, node: SyntaxNode | null): string | null {
  if (!node) return null;
  const q = ctx.qualifiedName(node);
  if (q !== null && Object.hasOwn(SAX_FEATURE_CONSTANTS, q)) return SAX_FEATURE_CONSTANTS[q] ?? null;
  const s = constantString(ctx, node);
  return s !== null && Object.hasOwn(SAX_FEATURE_URIS, s) ? (SAX_FEATURE_URIS[s] ?? null) : null;
}

export default createRule({
  meta: {
    id: 'xml-external-entities',
    area: 'secure-coding',
    summary: 'An XML parser is configured to resolve external entities (XXE).',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-611'],
    owasp: ['A05:2021'],
    bandit: ['B317', 'B320'],
    ruff: ['S317', 'S320'],
    messages: {
      resolve:
        '`{{fn}}(resolve_entities=True)` expands entities declared in the document; a crafted document can make the parser read local files or fetch URLs (XXE).',
      network:
        '`{{fn}}(no_network=False)` lets the parser fetch external entities and DTDs over the network; a crafted document can make the server send requests of its choice (XXE/SSRF).',
      sax: 'The SAX parser turns on `{{feature}}`, so it loads external entities named by the document; a crafted document can make it read local files or fetch URLs (XXE).',
    },
    docs: {
      whatItDoes:
        'Flags XML parsers explicitly configured to resolve external entities: lxml parsers (`lxml.etree.XMLParser`, `XMLPullParser`, `ETCompatXMLParser`, `iterparse`, `lxml.objectify.makeparser`) created with `resolve_entities=True`, or with `no_network=False` (unless `resolve_entities=False` is also given), and `xml.sax` parsers on which `setFeature(feature_external_ges, True)` or `setFeature(feature_external_pes, True)` is called (the constants from `xml.sax.handler` or their URI strings). It does not flag the standard library `xml.etree.ElementTree`, `xml.dom.minidom` or default `xml.sax` parsers: since Python 3.7.1 (and in expat 2.4.1+ builds) they do not fetch external entities, and their remaining risk, entity expansion ("billion laughs"), is a denial-of-service issue handled by expat\'s amplification limits. It does not flag `defusedxml`, lxml parsers with `resolve_entities=False`, or lxml parsers left at their defaults (network access is off by default).',
      whyBad:
        'An XML document can declare an entity whose value is an external resource, `<!ENTITY x SYSTEM "file:///etc/passwd">`, and reference it as `&x;`. A parser that resolves external entities replaces the reference with the file\'s content or with the response of a URL, so an attacker who submits XML reads files from the server, reaches internal services (server-side request forgery), or exhausts memory. This is XML External Entity injection (XXE), a long-standing source of data breaches.',
      example:
        'from lxml import etree\n\nparser = etree.XMLParser(resolve_entities=True, no_network=False)\ntree = etree.fromstring(request.body, parser)',
      useInstead:
        'import defusedxml.ElementTree as ET\n\n# defusedxml refuses DTDs with entities and external references.\ntree = ET.fromstring(request.body)\n\n# or, with lxml:\nfrom lxml import etree\nparser = etree.XMLParser(resolve_entities=False, no_network=True)\ntree = etree.fromstring(request.body, parser)',
      fixSafety:
        'No automatic fix: turning entity resolution off changes the parsed result for documents that legitimately use entities, and the right replacement (defusedxml, `resolve_entities=False`, lxml 5\'s `resolve_entities="internal"`) depends on what the code accepts.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/XML_External_Entity_Prevention_Cheat_Sheet.html',
        'https://docs.python.org/3/library/xml.html#xml-vulnerabilities',
        'https://lxml.de/FAQ.html#how-do-i-use-lxml-safely-as-a-web-service-endpoint',
        'https://github.com/tiran/defusedxml',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => method === 'setFeature' || (name !== null && LXML_PARSERS.has(name)),
  create(ctx) {
    return {
      call(node) {
        const fn = node.childForFieldName('function');
        if (!fn) return;
        const name = ctx.calleeName(node);
        if (name !== null && LXML_PARSERS.has(name)) {
          const short = name.split('.').slice(-1)[0] ?? name;
          const resolve = keywordArg(node, 'resolve_entities');
          if (isTruthyConstant(ctx, resolve)) {
            ctx.report({ node, messageId: 'resolve', data: { fn: short } });
            return;
          }
          if (isFalsyConstant(ctx, keywordArg(node, 'no_network')) && !isFalsyConstant(ctx, resolve)) {
            ctx.report({ node, messageId: 'network', data: { fn: short } });
          }
          return;
        }
        if (fn.type !== 'attribute' || fn.childForFieldName('attribute')?.text !== 'setFeature') return;
        if (hasSplat(node)) return;
        const feature = saxFeature(ctx, argument(node, 0, 'name'));
        if (!feature || !isTruthyConstant(ctx, argument(node, 1, 'state'))) return;
        ctx.report({ node, messageId: 'sax', data: { feature } });
      },
    };
  },
});
