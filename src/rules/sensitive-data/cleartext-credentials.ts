import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, keywordArg, stringTemplate, stringValue, terminalName, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';
import { methodCall, producedBy } from '../../python/receivers.js';
import { isTestPath, secretNameKind } from '../../python/secrets.js';
import { readsPasswordName } from '../../python/secrets.js';

const FTP = new Set(['ftplib.FTP']);
const TELNET = new Set(['telnetlib.Telnet']);
/** Plain-text mail protocols whose sessions can be upgraded with STARTTLS (`stls` for POP3). */
const MAIL: Record<string, { login: Set<string>; starttls: string; protocol: string }> = {
  'smtplib.SMTP': { login: new Set(['login']), starttls: 'starttls', protocol: 'SMTP' },
  'smtplib.LMTP': { login: new Set(['login']), starttls: 'starttls', protocol: 'LMTP' },
  'imaplib.IMAP4': { login: new Set(['login', 'authenticate', 'login_cram_md5']), starttls: 'starttls', protocol: 'IMAP' },
  'poplib.POP3': { login: new Set(['pass_', 'apop', 'rpop']), starttls: 'stls', protocol: 'POP3' },
};

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'];
const HTTP_FUNCTIONS = new Set(
  HTTP_VERBS.flatMap((v) => [`requests.${v}`, `requests.api.${v}`, `httpx.${v}`]).concat(['httpx.stream']),
);
const HTTP_SESSIONS = new Set([
  'requests.Session',
  'requests.session',
  'requests.sessions.Session',
  'httpx.Client',
  'httpx.AsyncClient',
]);
const SESSION_METHODS = new Set([...HTTP_VERBS, 'stream']);

/** Header names that carry credentials. */
const CREDENTIAL_HEADERS = /^(?:authorization|proxy-authorization|x-api-key|api-key|apikey|x-auth-token|x-access-token|private-token|x-token)$/i;

/**
 * Hosts that never leave the machine or the local network segment by name: loopback,
 * `*.local`/`*.localhost`/`*.internal`/`*.lan`/`*.home.arpa`, single-label names (container
 * service names such as `http://auth:8000`) and private IPv4 ranges. Plain HTTP on such a
 * network is a choice the rule does not second-guess.
 */
function isLocalHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === '' || h === '::1' || h === '0.0.0.0') return true;
  if (!h.includes('.')) return true;
  if (/\.(?:local|localhost|internal|lan|home\.arpa|test|example|invalid)$/.test(h)) return true;
  if (/^(?:example\.(?:com|org|net))$/.test(h)) return true;
  const ip = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h);
  if (ip) {
    const a = Number(ip[1]);
    const b = Number(ip[2]);
    return a === 127 || a === 10 || (a === 192 && b === 168) || (a === 172 && b >= 16 && b <= 31) || (a === 169 && b === 254);
  }
  return false;
}

/** The host of a literal `http://` URL (f-string prefixes count), or null. */
function plainHttpHost(ctx: RuleContext, node: SyntaxNode | null, depth = 0): string | null {
  if (!node || depth > 3) return null;
  const n = unparen(node);
  let text: string | null = constantString(ctx, n);
  if (text === null && (n.type === 'string' || n.type === 'concatenated_string')) text = stringTemplate(n);
  if (text === null && n.type === 'binary_operator' && n.child(1)?.type === '+') {
    const left = n.childForFieldName('left');
    return left ? plainHttpHost(ctx, left, depth + 1) : null;
  }
  if (text === null && n.type === 'identifier') {
    const v = ctx.valueOf(n);
    return v && v.id !== n.id ? plainHttpHost(ctx, v, depth + 1) : null;
  }
  if (text === null) return null;
  const m = /^\s*http:\/\/(?:[^@/?#]*@)?(\[[^\]]*\]|[^:/?#{]*)([:/?#]|$)/i.exec(text);
  // No match for a host made of an interpolation (`http://{host}/`): unknown.
  if (!m || m[1] === undefined) return null;
  return isLocalHost(m[1]) ? null : m[1];
}

/** A name or key that holds a credential: `password`, `token`, `api_key`, `client_secret`... */
function isCredentialName(name: string): boolean {
  return secretNameKind(name) !== null;
}

/** The credential key a dict literal (or a name bound once to one) carries, or null. */
function credentialKey(ctx: RuleContext, node: SyntaxNode | null, headers: boolean): string | null {
  if (!node) return null;
  let n = unparen(node);
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    if (!v || v.id === n.id) return null;
    n = unparen(v);
  }
  if (n.type === 'dictionary') {
    for (const pair of n.namedChildren) {
      if (pair.type !== 'pair') continue;
      const key = stringValue(pair.childForFieldName('key'));
      if (key === null) continue;
      if (headers ? CREDENTIAL_HEADERS.test(key) : isCredentialName(key)) return key;
    }
    return null;
  }
  if (n.type === 'call' && !headers && ctx.calleeName(n) === 'dict') {
    for (const kw of n.namedChildren.find((c) => c.type === 'argument_list')?.namedChildren ?? []) {
      const key = kw.type === 'keyword_argument' ? kw.childForFieldName('name')?.text : undefined;
      if (key && isCredentialName(key)) return key;
    }
  }
  return null;
}

/** Anonymous FTP logins send no secret. */
function isAnonymous(ctx: RuleContext, user: SyntaxNode | null): boolean {
  if (!user) return true;
  const u = constantString(ctx, user);
  return u !== null && (u === '' || u.toLowerCase() === 'anonymous' || u.toLowerCase() === 'ftp');
}

/** The literal host a client was constructed with, when it is local (`smtplib.SMTP("localhost")`). */
function constructedForLocalHost(ctx: RuleContext, receiver: SyntaxNode): boolean {
  const r = unparen(receiver);
  let made: SyntaxNode | null = r.type === 'call' ? r : null;
  if (!made && r.type === 'identifier') {
    const v = ctx.valueOf(r);
    made = v && unparen(v).type === 'call' ? unparen(v) : null;
  }
  if (!made) {
    // `with smtplib.SMTP("localhost") as s:`: look at the with item.
    for (let p = r.parent; p; p = p.parent) {
      if (p.type !== 'with_statement') continue;
      for (const item of p.descendantsOfType('as_pattern')) {
        const alias = item.childForFieldName('alias')?.namedChildren[0];
        const value = unparen(item.namedChildren[0] ?? item);
        if (alias?.text === r.text && value.type === 'call') made = value;
      }
      if (made) break;
    }
  }
  if (!made) return false;
  const host = argument(made, 0, 'host');
  const h = host ? constantString(ctx, host) : null;
  return h !== null && isLocalHost(h);
}

export default createRule({
  meta: {
    id: 'cleartext-credentials',
    area: 'sensitive-data',
    summary: 'Credentials are sent over an unencrypted protocol (FTP, Telnet, SMTP/IMAP/POP3 without STARTTLS, plain http://).',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-319', 'CWE-523'],
    owasp: ['A02:2021'],
    messages: {
      ftp: '`{{call}}` sends the FTP user name and password in cleartext: anyone on the network path can read them; use `ftplib.FTP_TLS` (and call `prot_p()`) or SFTP.',
      telnet: 'A password is written to a Telnet connection, which is unencrypted: anyone on the network path can read it; use SSH (e.g. paramiko) instead.',
      mail: '`{{call}}` sends {{protocol}} credentials without a prior `{{starttls}}()`, so they cross the network in cleartext; call `{{starttls}}()` first or use the `_SSL` client.',
      http: '`{{call}}` sends {{what}} to `http://{{host}}` without TLS: anyone on the network path can read and reuse them; use `https://`.',
    },
    docs: {
      whatItDoes:
        'Flags credentials handed to a plaintext protocol: `ftplib.FTP(...).login(user, password)` (or `FTP(host, user, passwd)`), a password written to a `telnetlib.Telnet` connection, `login(...)` on `smtplib.SMTP`, `imaplib.IMAP4` (and `pass_()` on `poplib.POP3`) when no `starttls()` / `stls()` on the same object comes before it in the function, and `requests` / `httpx` calls to a literal `http://` URL that pass `auth=...`, an `Authorization` or API-key header, or a `data`/`json`/`params` dictionary with a password, token or secret key. Not flagged: test files, `FTP_TLS`, `SMTP_SSL`, `IMAP4_SSL`, `POP3_SSL`, anonymous FTP, servers on loopback, private IPv4 ranges, single-label host names (container services) and `*.local` / `*.internal` / `*.lan` names, and URLs whose host is computed at run time.',
      whyBad:
        'Without TLS every byte of the session, including the user name and password, travels in cleartext: anyone on the same Wi-Fi, a compromised router, or a network tap along the path can read the credentials and reuse them. Credentials sent this way should be considered exposed; the same applies to API tokens in HTTP headers and to passwords in form bodies.',
      example:
        'import smtplib\n\ndef send(msg, user, password):\n    with smtplib.SMTP("mail.example.com", 587) as smtp:\n        smtp.login(user, password)\n        smtp.send_message(msg)',
      useInstead:
        'import smtplib\nimport ssl\n\ndef send(msg, user, password):\n    with smtplib.SMTP("mail.example.com", 587) as smtp:\n        smtp.starttls(context=ssl.create_default_context())\n        smtp.login(user, password)\n        smtp.send_message(msg)',
      fixSafety:
        'No automatic fix: the server must support the encrypted variant (FTPS, STARTTLS, HTTPS), and the port often changes with it (465 for SMTP over TLS, 993 for IMAPS, 443 for HTTPS).',
      references: [
        'https://docs.python.org/3/library/smtplib.html#smtplib.SMTP.starttls',
        'https://docs.python.org/3/library/ftplib.html#ftplib.FTP_TLS',
        'https://cheatsheetseries.owasp.org/cheatsheets/Transport_Layer_Security_Cheat_Sheet.html',
        'https://requests.readthedocs.io/en/latest/user/authentication/',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) =>
    (name !== null && (HTTP_FUNCTIONS.has(name) || FTP.has(name))) ||
    SESSION_METHODS.has(method) ||
    method === 'login' ||
    method === 'write' ||
    method === 'starttls' ||
    method === 'stls' ||
    method === 'authenticate' ||
    method === 'login_cram_md5' ||
    method === 'pass_' ||
    method === 'apop' ||
    method === 'rpop',
  create(ctx) {
    // Tests log in to stub servers with made-up credentials.
    if (isTestPath(ctx.path)) return {};
    /** `starttls()` calls seen so far, keyed by scope and receiver text. */
    const upgraded = new Set<string>();
    const key = (receiver: SyntaxNode): string => `${ctx.scopeOf(receiver).node.id}:${unparen(receiver).text}`;

    const checkHttp = (node: SyntaxNode, call: string, urlIndex: number): void => {
      const host = plainHttpHost(ctx, argument(node, urlIndex, 'url'));
      if (!host) return;
      let what: string | null = null;
      const auth = keywordArg(node, 'auth');
      if (auth && unparen(auth).type !== 'none') what = 'authentication credentials';
      const header = credentialKey(ctx, keywordArg(node, 'headers'), true);
      if (!what && header) what = `the \`${header}\` header`;
      for (const kw of ['data', 'json', 'params']) {
        if (what) break;
        const k = credentialKey(ctx, keywordArg(node, kw), false);
        if (k) what = `a \`${k}\` field`;
      }
      if (what) ctx.report({ node, messageId: 'http', data: { call, what, host } });
    };

    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (name) {
          if (HTTP_FUNCTIONS.has(name)) return checkHttp(node, name, name.endsWith('.request') || name === 'httpx.stream' ? 1 : 0);
          if (FTP.has(name)) {
            // FTP(host, user, passwd) logs in from the constructor.
            const user = argument(node, 1, 'user');
            const passwd = argument(node, 2, 'passwd');
            if (passwd && !isAnonymous(ctx, user) && !constructedForLocalHost(ctx, node)) {
              ctx.report({ node, messageId: 'ftp', data: { call: name } });
            }
          }
          return;
        }
        const m = methodCall(node);
        if (!m) return;
        if (m.method === 'starttls' || m.method === 'stls') {
          upgraded.add(key(m.receiver));
          return;
        }
        const made = producedBy(ctx, m.receiver);
        if (!made) return;
        if (SESSION_METHODS.has(m.method) && HTTP_SESSIONS.has(made)) {
          return checkHttp(node, `session.${m.method}`, m.method === 'request' || m.method === 'stream' ? 1 : 0);
        }
        if (FTP.has(made) && m.method === 'login') {
          const user = argument(node, 0, 'user');
          if (!argument(node, 1, 'passwd') || isAnonymous(ctx, user)) return;
          if (constructedForLocalHost(ctx, m.receiver)) return;
          ctx.report({ node, messageId: 'ftp', data: { call: 'ftp.login' } });
          return;
        }
        if (TELNET.has(made) && m.method === 'write') {
          if (readsPasswordName(argument(node, 0)) && !constructedForLocalHost(ctx, m.receiver)) {
            ctx.report({ node, messageId: 'telnet' });
          }
          return;
        }
        const mail = MAIL[made];
        if (mail && mail.login.has(m.method)) {
          if (upgraded.has(key(m.receiver)) || constructedForLocalHost(ctx, m.receiver)) return;
          const obj = terminalName(unparen(m.receiver)) ?? 'client';
          ctx.report({
            node,
            messageId: 'mail',
            data: { call: `${obj}.${m.method}`, protocol: mail.protocol, starttls: mail.starttls },
          });
        }
      },
    };
  },
});
