import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { isFalse, keywordArg, keywordArgNode, stringValue, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';

/** PyJWT and python-jose decoding functions that verify a token's signature by default. */
const DECODERS = new Set([
  'jwt.decode',
  'jwt.decode_complete',
  'jwt.api_jwt.decode',
  'jwt.api_jwt.decode_complete',
  'jose.jwt.decode',
]);

/** A literal (or a name bound once to a literal) node, parentheses removed. */
function literalOf(ctx: RuleContext, node: SyntaxNode | null): SyntaxNode | null {
  if (!node) return null;
  const n = unparen(node);
  if (n.type !== 'identifier') return n;
  const v = ctx.valueOf(n);
  return v && v.id !== n.id ? unparen(v) : null;
}

/** In a dict literal, the `"verify_signature": False` pair (False written or bound once). */
function signatureOff(ctx: RuleContext, options: SyntaxNode | null): SyntaxNode | null {
  const dict = literalOf(ctx, options);
  if (dict?.type !== 'dictionary') return null;
  for (const pair of dict.namedChildren) {
    if (pair.type !== 'pair') continue;
    if (stringValue(pair.childForFieldName('key')) !== 'verify_signature') continue;
    if (isFalse(literalOf(ctx, pair.childForFieldName('value')))) return pair;
  }
  return null;
}

/** True when an `algorithms` value is (or lists) the `none` algorithm. */
function allowsNone(ctx: RuleContext, algorithms: SyntaxNode | null): boolean {
  const v = literalOf(ctx, algorithms);
  if (!v) return false;
  if (v.type === 'list' || v.type === 'tuple' || v.type === 'set') {
    return v.namedChildren.some((c) => constantString(ctx, c)?.toLowerCase() === 'none');
  }
  return constantString(ctx, v)?.toLowerCase() === 'none';
}

export default createRule({
  meta: {
    id: 'jwt-verify-disabled',
    area: 'sensitive-data',
    summary: 'A JSON Web Token is decoded without checking its signature, or with the `none` algorithm allowed.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-347'],
    owasp: ['A02:2021', 'A07:2021'],
    messages: {
      options:
        '`{{call}}` is called with `"verify_signature": False`: the token\'s signature is not checked, so anyone can forge a token with any claims (user id, role, expiry).',
      verify:
        '`{{call}}` is called with `verify=False`: the token\'s signature is not checked, so anyone can forge a token with any claims (user id, role, expiry).',
      none:
        '`{{call}}` accepts the `none` algorithm: a token that declares `"alg": "none"` needs no signature, so anyone can forge one with any claims.',
    },
    docs: {
      whatItDoes:
        'Flags PyJWT and python-jose `jwt.decode(...)` calls that switch signature verification off, with `options={"verify_signature": False}` or the PyJWT 1.x `verify=False` argument, or that list `"none"` among the accepted `algorithms`. Only explicit values are flagged: options built at run time are not.',
      whyBad:
        'A JWT is only trustworthy because its signature proves the server issued it. Decoding without verifying the signature (or accepting the unsigned `none` algorithm) means the claims are whatever the sender wrote: an attacker edits the payload to `{"sub": "admin"}` and is logged in as admin. Reading an unverified token is fine for debugging or for picking the key (`jwt.get_unverified_header`), never for deciding who the user is.',
      example:
        'import jwt\n\ndef current_user(token):\n    claims = jwt.decode(token, options={"verify_signature": False})\n    return claims["sub"]',
      useInstead:
        'import jwt\n\ndef current_user(token):\n    # Always pass the key and pin the algorithms you issue tokens with.\n    claims = jwt.decode(token, SECRET_KEY, algorithms=["HS256"])\n    return claims["sub"]',
      fixSafety:
        'No automatic fix: verifying the signature also needs the right key and the list of algorithms the tokens are issued with, which only the developer knows.',
      references: [
        'https://pyjwt.readthedocs.io/en/stable/usage.html#reading-the-claimset-without-validation',
        'https://pyjwt.readthedocs.io/en/stable/api.html#jwt.decode',
        'https://python-jose.readthedocs.io/en/latest/jwt/api.html',
        'https://cheatsheetseries.owasp.org/cheatsheets/JSON_Web_Token_for_Java_Cheat_Sheet.html',
        'https://auth0.com/blog/critical-vulnerabilities-in-json-web-token-libraries/',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name !== null && DECODERS.has(name),
  create(ctx) {
    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (!name || !DECODERS.has(name)) return;
        const call = name.startsWith('jose.') ? 'jose.jwt.decode' : name;
        const off = signatureOff(ctx, keywordArg(node, 'options'));
        if (off) {
          ctx.report({ node: keywordArgNode(node, 'options') ?? node, messageId: 'options', data: { call } });
        }
        const verify = keywordArg(node, 'verify');
        if (verify && isFalse(literalOf(ctx, verify))) {
          ctx.report({ node: keywordArgNode(node, 'verify') ?? node, messageId: 'verify', data: { call } });
        }
        const algorithms = keywordArg(node, 'algorithms');
        if (allowsNone(ctx, algorithms)) {
          ctx.report({ node: keywordArgNode(node, 'algorithms') ?? node, messageId: 'none', data: { call } });
        }
      },
    };
  },
});
