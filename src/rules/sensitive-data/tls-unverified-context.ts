import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, hasSplat, isFalse, isTrue, keywordArg, keywordArgNode, positionalArgs, unparen } from '../../python/ast.js';
import { methodCall, producedBy } from '../../python/receivers.js';

const UNVERIFIED_FACTORIES = new Set(['ssl._create_unverified_context', 'ssl._create_stdlib_context']);
const CONTEXT_FACTORIES = new Set([
  'ssl.create_default_context',
  'ssl.SSLContext',
  'ssl._create_unverified_context',
  'ssl._create_stdlib_context',
]);
const CERT_NONE = new Set(['ssl.CERT_NONE', 'ssl.VerifyMode.CERT_NONE']);
const CERT_REQUIRED = new Set(['ssl.CERT_REQUIRED', 'ssl.VerifyMode.CERT_REQUIRED']);
const SERVER_PROTOCOLS = new Set(['ssl.PROTOCOL_TLS_SERVER', 'ssl._SSLMethod.PROTOCOL_TLS_SERVER']);
const SERVER_PURPOSES = new Set(['ssl.Purpose.CLIENT_AUTH']);
const PYOPENSSL_VERIFY_NONE = new Set(['OpenSSL.SSL.VERIFY_NONE']);

function isCertNone(ctx: RuleContext, node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  const q = ctx.qualifiedName(n) ?? ctx.qualifiedName(ctx.valueOf(n));
  return q !== null && CERT_NONE.has(q);
}

/**
 * A context built for the server side of a connection, where not asking clients for a
 * certificate (CERT_NONE) is the normal configuration, not a vulnerability.
 */
function isServerContext(ctx: RuleContext, receiver: SyntaxNode | null): boolean {
  const value = receiver ? ctx.valueOf(unparen(receiver)) : null;
  if (!value || unparen(value).type !== 'call') return false;
  const call = unparen(value);
  const name = ctx.calleeName(call);
  if (name === 'ssl.SSLContext') {
    const q = ctx.qualifiedName(argument(call, 0, 'protocol'));
    return q !== null && SERVER_PROTOCOLS.has(q);
  }
  if (name === 'ssl.create_default_context') {
    const q = ctx.qualifiedName(argument(call, 0, 'purpose'));
    return q !== null && SERVER_PURPOSES.has(q);
  }
  return false;
}

export default createRule({
  meta: {
    id: 'tls-unverified-context',
    area: 'sensitive-data',
    summary: 'An `ssl` context or socket that does not verify the peer\'s certificate or host name.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-295'],
    owasp: ['A07:2021'],
    bandit: ['B323'],
    ruff: ['S323'],
    messages: {
      unverifiedContext:
        '`{{fn}}()` builds an SSL context that checks neither the certificate nor the host name: anyone on the network path can impersonate the server.',
      globalUnverified:
        'Replacing `ssl._create_default_https_context` with an unverified factory turns off certificate checks for every HTTPS connection the standard library makes in this process.',
      checkHostname:
        'Setting `check_hostname = False` accepts a valid certificate issued for any other site: an attacker with a certificate for their own domain can impersonate the server.',
      verifyMode:
        'Setting `verify_mode = ssl.CERT_NONE` accepts any certificate, including self-signed ones made by an attacker on the network path.',
      wrapSocket:
        '`ssl.wrap_socket()` with `cert_reqs=ssl.CERT_NONE` does not verify the server\'s certificate: anyone on the network path can impersonate it.',
      wrapSocketDefault:
        '`ssl.wrap_socket()` does not verify certificates unless `cert_reqs` says so (and was removed in Python 3.12): anyone on the network path can impersonate the server.',
      pyopenssl:
        '`set_verify(VERIFY_NONE)` disables certificate checks on this pyOpenSSL context: anyone on the network path can impersonate the peer.',
    },
    docs: {
      whatItDoes:
        'Flags standard-library TLS set up without verification: `ssl._create_unverified_context()` and `ssl._create_stdlib_context()`, monkey-patching `ssl._create_default_https_context`, `check_hostname = False` on a client context, `verify_mode = ssl.CERT_NONE`, client-side `ssl.wrap_socket()` without `cert_reqs=ssl.CERT_REQUIRED`, and pyOpenSSL `set_verify(VERIFY_NONE)`. Server-side contexts (`PROTOCOL_TLS_SERVER`, `Purpose.CLIENT_AUTH`, `server_side=True`), where not requesting a client certificate is normal, are not flagged.',
      whyBad:
        'TLS only authenticates the server if the client checks both that the certificate chains to a trusted authority and that it was issued for the host being contacted. Without these checks an attacker who can intercept traffic (shared network, rogue access point, DNS spoofing, a compromised proxy) presents their own certificate and reads or modifies everything, including passwords and tokens, while the code believes it is talking securely.',
      example:
        'import ssl\nimport urllib.request\n\nctx = ssl.create_default_context()\nctx.check_hostname = False\nctx.verify_mode = ssl.CERT_NONE\nurllib.request.urlopen("https://api.example.com", context=ctx)',
      useInstead:
        'import ssl\nimport urllib.request\n\n# Verifies the chain and the host name; for a private CA, pass cafile=...\nctx = ssl.create_default_context(cafile="/etc/ssl/certs/internal-ca.pem")\nurllib.request.urlopen("https://api.example.com", context=ctx)',
      fixSafety:
        'No automatic fix: code that disabled verification usually talks to a server with a self-signed or private-CA certificate, and the right change is to trust that CA explicitly (`cafile=`), which only the author can know.',
      references: [
        'https://docs.python.org/3/library/ssl.html#security-considerations',
        'https://docs.python.org/3/library/ssl.html#ssl.create_default_context',
        'https://peps.python.org/pep-0476/',
        'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) =>
    name !== null ? UNVERIFIED_FACTORIES.has(name) || name === 'ssl.wrap_socket' : method === 'set_verify',
  textFilters: { assignment: (text) => /_create_default_https_context|verify_mode|check_hostname/.test(text) },
  create(ctx) {
    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (name && UNVERIFIED_FACTORIES.has(name)) {
          // The factory is harmless only when the caller re-enables both checks.
          const reqs = keywordArg(node, 'cert_reqs');
          const reqsQ = reqs ? ctx.qualifiedName(unparen(reqs)) : null;
          const verified = reqsQ !== null && CERT_REQUIRED.has(reqsQ) && isTrue(keywordArg(node, 'check_hostname'));
          if (!verified) ctx.report({ node, messageId: 'unverifiedContext', data: { fn: name } });
          return;
        }
        if (name === 'ssl.wrap_socket') {
          if (isTrue(keywordArg(node, 'server_side'))) return;
          const reqs = keywordArgNode(node, 'cert_reqs');
          if (reqs) {
            if (isCertNone(ctx, keywordArg(node, 'cert_reqs'))) ctx.report({ node: reqs, messageId: 'wrapSocket' });
          } else if (hasSplat(node)) {
            return;
          } else if (positionalArgs(node).length < 5) {
            // wrap_socket(sock, keyfile, certfile, server_side, cert_reqs, ...): not given at all.
            ctx.report({ node, messageId: 'wrapSocketDefault', confidence: 'medium' });
          } else if (isCertNone(ctx, positionalArgs(node)[4] ?? null)) {
            ctx.report({ node, messageId: 'wrapSocket' });
          }
          return;
        }
        const m = methodCall(node);
        if (m?.method === 'set_verify' && !name) {
          const mode = argument(node, 0, 'mode');
          const q = mode ? ctx.qualifiedName(unparen(mode)) : null;
          if (q && PYOPENSSL_VERIFY_NONE.has(q)) ctx.report({ node, messageId: 'pyopenssl' });
        }
      },
      assignment(node) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        if (!left || !right) return;
        if (ctx.qualifiedName(left) === 'ssl._create_default_https_context') {
          const q = ctx.qualifiedName(unparen(right));
          if (q && UNVERIFIED_FACTORIES.has(q)) ctx.report({ node, messageId: 'globalUnverified' });
          return;
        }
        if (left.type !== 'attribute') return;
        const attr = left.childForFieldName('attribute')?.text;
        const receiver = left.childForFieldName('object');
        if (attr === 'verify_mode' && isCertNone(ctx, right)) {
          if (!isServerContext(ctx, receiver)) ctx.report({ node, messageId: 'verifyMode' });
          return;
        }
        if (attr === 'check_hostname' && isFalse(unparen(right))) {
          const made = producedBy(ctx, receiver);
          if (made && CONTEXT_FACTORIES.has(made) && !isServerContext(ctx, receiver)) {
            ctx.report({ node, messageId: 'checkHostname' });
          }
        }
      },
    };
  },
});

