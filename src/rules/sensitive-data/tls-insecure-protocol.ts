import { createRule, type Severity } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { unparen } from '../../python/ast.js';

/** Constants that select one obsolete protocol wherever they are used. */
const PROTOCOL_CONSTANTS: Record<string, string> = {
  'ssl.PROTOCOL_SSLv2': 'SSL 2.0',
  'ssl.PROTOCOL_SSLv3': 'SSL 3.0',
  'ssl.PROTOCOL_TLSv1': 'TLS 1.0',
  'ssl.PROTOCOL_TLSv1_1': 'TLS 1.1',
  'ssl._SSLMethod.PROTOCOL_SSLv2': 'SSL 2.0',
  'ssl._SSLMethod.PROTOCOL_SSLv3': 'SSL 3.0',
  'ssl._SSLMethod.PROTOCOL_TLSv1': 'TLS 1.0',
  'ssl._SSLMethod.PROTOCOL_TLSv1_1': 'TLS 1.1',
  'OpenSSL.SSL.SSLv2_METHOD': 'SSL 2.0',
  'OpenSSL.SSL.SSLv3_METHOD': 'SSL 3.0',
  'OpenSSL.SSL.TLSv1_METHOD': 'TLS 1.0',
  'OpenSSL.SSL.TLSv1_1_METHOD': 'TLS 1.1',
};

/** Version bounds: only insecure as the value of a minimum/maximum version setting. */
const VERSION_BOUNDS: Record<string, string> = {
  'ssl.TLSVersion.SSLv3': 'SSL 3.0',
  'ssl.TLSVersion.TLSv1': 'TLS 1.0',
  'ssl.TLSVersion.TLSv1_1': 'TLS 1.1',
  'ssl.TLSVersion.MINIMUM_SUPPORTED': 'the oldest protocol OpenSSL supports',
  'OpenSSL.SSL.SSL3_VERSION': 'SSL 3.0',
  'OpenSSL.SSL.TLS1_VERSION': 'TLS 1.0',
  'OpenSSL.SSL.TLS1_1_VERSION': 'TLS 1.1',
};

/** Last components of every name above: a cheap filter before resolving imports. */
const TERMINALS = new Set(
  [...Object.keys(PROTOCOL_CONSTANTS), ...Object.keys(VERSION_BOUNDS)].map((q) => q.slice(q.lastIndexOf('.') + 1)),
);

const TERMINAL_AT_END = new RegExp(`(?:${[...TERMINALS].join('|')})$`);
const TERMINAL_ANYWHERE = new RegExp([...TERMINALS].join('|'));

function severityOf(protocol: string): Severity {
  return protocol.startsWith('SSL') ? 'high' : 'medium';
}

/** Identifiers that are names being defined or looked up on something else, not references. */
function isReference(id: SyntaxNode): boolean {
  const p = id.parent;
  if (!p) return false;
  switch (p.type) {
    case 'attribute':
      return p.childForFieldName('attribute')?.id !== id.id;
    case 'dotted_name':
    case 'aliased_import':
    case 'import_from_statement':
    case 'import_statement':
    case 'function_definition':
    case 'class_definition':
    case 'parameters':
    case 'default_parameter':
    case 'typed_default_parameter':
    case 'typed_parameter':
      return p.childForFieldName('value')?.id === id.id;
    case 'keyword_argument':
      return p.childForFieldName('name')?.id !== id.id;
    default:
      return true;
  }
}

/**
 * Comparisons, assignment targets and lookup tables (`{ssl.PROTOCOL_TLSv1: SSL.TLSv1_METHOD}`,
 * `table[ssl.PROTOCOL_SSLv3] = ...`) mention a protocol without selecting it.
 */
function isSelection(ctx: RuleContext, node: SyntaxNode): boolean {
  let n = node;
  while (n.parent?.type === 'parenthesized_expression') n = n.parent;
  const p = n.parent;
  if (!p) return true;
  if (p.type === 'comparison_operator') return false;
  if (p.type === 'assignment') {
    const left = p.childForFieldName('left');
    if (left?.id === n.id) return false;
    const index = left?.type === 'subscript' ? left.childForFieldName('subscript') : null;
    const indexName = index ? ctx.qualifiedName(unparen(index)) : null;
    if (indexName && Object.hasOwn(PROTOCOL_CONSTANTS, indexName)) return false;
  }
  if (p.type === 'subscript' && p.childForFieldName('value')?.id !== n.id) return false;
  if (p.type === 'pair') {
    const key = p.childForFieldName('key');
    if (key?.id === n.id) return false;
    const keyName = key ? ctx.qualifiedName(unparen(key)) : null;
    if (keyName && Object.hasOwn(PROTOCOL_CONSTANTS, keyName)) return false;
  }
  return true;
}

export default createRule({
  meta: {
    id: 'tls-insecure-protocol',
    area: 'sensitive-data',
    summary: 'SSL 2.0/3.0 or TLS 1.0/1.1 is selected for a connection.',
    severity: 'medium',
    confidence: 'high',
    cwe: ['CWE-327'],
    owasp: ['A02:2021'],
    bandit: ['B502', 'B503'],
    ruff: ['S502', 'S503'],
    messages: {
      protocol:
        '`{{name}}` pins the connection to {{protocol}}, which has known practical attacks and is disabled by modern servers and clients; use TLS 1.2 or newer.',
      minimumVersion:
        'Setting `{{setting}}` to `{{name}}` allows {{protocol}}, which has known practical attacks: an active attacker can downgrade the connection to it.',
      maximumVersion:
        'Setting `{{setting}}` to `{{name}}` caps the connection at {{protocol}}, which has known practical attacks; use TLS 1.2 or newer.',
    },
    docs: {
      whatItDoes:
        'Flags the selection of obsolete protocol versions: the `ssl.PROTOCOL_SSLv2/SSLv3/TLSv1/TLSv1_1` constants and pyOpenSSL\'s `SSLv2/SSLv3/TLSv1/TLSv1_1_METHOD` wherever they are used (e.g. `ssl.SSLContext(ssl.PROTOCOL_TLSv1)`, `ssl.wrap_socket(ssl_version=...)`), and `minimum_version` / `maximum_version` (or pyOpenSSL `set_min_proto_version`) set to SSL 3.0, TLS 1.0 or TLS 1.1. Comparisons such as `if proto == ssl.PROTOCOL_TLSv1`, lookup tables keyed by protocol constants, and the negotiating constants (`PROTOCOL_TLS_CLIENT`, `PROTOCOL_TLS`, `PROTOCOL_SSLv23`) are not flagged.',
      whyBad:
        'SSL 2.0 and 3.0 are broken (DROWN, POODLE) and TLS 1.0 and 1.1 rely on weak constructions (CBC with predictable IVs as in BEAST, MD5/SHA-1 in the handshake); all four were formally deprecated by RFC 7568 and RFC 8996. A connection pinned to them can be decrypted or tampered with by a capable attacker, and allowing them as a minimum lets an attacker force a downgrade. Compliance regimes (PCI DSS) forbid them.',
      example:
        'import ssl\n\nctx = ssl.SSLContext(ssl.PROTOCOL_TLSv1)\n\nclient = ssl.create_default_context()\nclient.minimum_version = ssl.TLSVersion.TLSv1',
      useInstead:
        'import ssl\n\nctx = ssl.create_default_context()\nctx.minimum_version = ssl.TLSVersion.TLSv1_2',
      fixSafety:
        'For `minimum_version = ssl.TLSVersion.<old>` the fix raises the minimum to `TLSv1_2`. Peers that only speak TLS 1.1 or older (very old embedded devices, unpatched legacy servers) will then fail the handshake. Fixed-version constants such as `PROTOCOL_TLSv1` get no automatic fix, because the replacement (`PROTOCOL_TLS_CLIENT` or `PROTOCOL_TLS_SERVER`) depends on which side of the connection the code is, and changes certificate-checking defaults.',
      references: [
        'https://docs.python.org/3/library/ssl.html#protocol-versions',
        'https://docs.python.org/3/library/ssl.html#ssl.SSLContext.minimum_version',
        'https://datatracker.ietf.org/doc/html/rfc8996',
        'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html',
      ],
    },
    fixable: true,
  },
  // Every finding names one of the protocol constants or version bounds.
  fileFilter: (source) => TERMINAL_ANYWHERE.test(source),
  textFilters: {
    attribute: (text) => TERMINAL_AT_END.test(text),
    identifier: (text) => TERMINALS.has(text),
  },
  create(ctx) {
    const check = (node: SyntaxNode): void => {
      const name = ctx.qualifiedName(node);
      if (!name) return;
      const fixed = PROTOCOL_CONSTANTS[name];
      if (fixed) {
        if (isSelection(ctx, node)) {
          ctx.report({ node, messageId: 'protocol', data: { name: node.text, protocol: fixed }, severity: severityOf(fixed) });
        }
        return;
      }
      const bound = VERSION_BOUNDS[name];
      if (!bound) return;
      let n = node;
      while (n.parent?.type === 'parenthesized_expression') n = n.parent;
      const p = n.parent;
      if (p?.type === 'assignment' && p.childForFieldName('right')?.id === n.id) {
        const left = p.childForFieldName('left');
        const setting = left?.type === 'attribute' ? left.childForFieldName('attribute')?.text : undefined;
        if (setting !== 'minimum_version' && setting !== 'maximum_version') return;
        const severity = severityOf(bound);
        if (setting === 'maximum_version') {
          if (name.endsWith('MINIMUM_SUPPORTED')) return;
          ctx.report({ node, messageId: 'maximumVersion', data: { setting, name: node.text, protocol: bound }, severity });
          return;
        }
        const attr = node.type === 'attribute' ? node.childForFieldName('attribute') : null;
        ctx.report({
          node,
          messageId: 'minimumVersion',
          data: { setting, name: node.text, protocol: bound },
          severity,
          ...(name.endsWith('MINIMUM_SUPPORTED') ? { confidence: 'medium' as const } : {}),
          ...(attr && name.startsWith('ssl.TLSVersion.') ? { fix: ctx.replace(attr, 'TLSv1_2', 'Require TLS 1.2 or newer') } : {}),
        });
        return;
      }
      // pyOpenSSL: ctx.set_min_proto_version(SSL.TLS1_VERSION)
      if (p?.type === 'argument_list') {
        const call = p.parent;
        const fn = call?.childForFieldName('function');
        const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : undefined;
        if (method === 'set_min_proto_version' || method === 'set_max_proto_version') {
          ctx.report({
            node,
            messageId: method === 'set_min_proto_version' ? 'minimumVersion' : 'maximumVersion',
            data: { setting: method, name: node.text, protocol: bound },
            severity: severityOf(bound),
          });
        }
      }
    };
    return {
      attribute(node) {
        const attr = node.childForFieldName('attribute')?.text;
        if (attr && TERMINALS.has(attr)) check(node);
      },
      identifier(node) {
        // Bare names come from `from ssl import PROTOCOL_TLSv1`. (An import under another
        // name, `... as OLD`, is not followed: it is rare, and following it would mean
        // resolving every identifier of every file.)
        if (TERMINALS.has(node.text) && isReference(node)) check(node);
      },
    };
  },
});
