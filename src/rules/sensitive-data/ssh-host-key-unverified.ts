import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, isNone, keywordArg, keywordArgNode, unparen } from '../../python/ast.js';
import { methodCall } from '../../python/receivers.js';

const POLICIES: Record<string, string> = {
  'paramiko.AutoAddPolicy': 'AutoAddPolicy',
  'paramiko.client.AutoAddPolicy': 'AutoAddPolicy',
  'paramiko.WarningPolicy': 'WarningPolicy',
  'paramiko.client.WarningPolicy': 'WarningPolicy',
};

/** asyncssh entry points where `known_hosts=None` turns host key checking off. */
const ASYNCSSH = new Set(
  ['connect', 'connect_reverse', 'SSHClientConnectionOptions', 'create_connection', 'listen_reverse'].flatMap((f) => [
    `asyncssh.${f}`,
    `asyncssh.connection.${f}`,
  ]),
);

/** The paramiko policy named by `AutoAddPolicy()`, `AutoAddPolicy`, or a name bound once to either. */
function policyOf(ctx: RuleContext, node: SyntaxNode | null): string | null {
  if (!node) return null;
  let n = unparen(node);
  if (n.type === 'identifier' && ctx.qualifiedName(n) === null) {
    const v = ctx.valueOf(n);
    if (!v) return null;
    n = unparen(v);
  }
  const target = n.type === 'call' ? n.childForFieldName('function') : n;
  const q = ctx.qualifiedName(target);
  return q ? POLICIES[q] ?? null : null;
}

export default createRule({
  meta: {
    id: 'ssh-host-key-unverified',
    area: 'sensitive-data',
    summary: 'An SSH client accepts unknown host keys instead of verifying the server.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-295'],
    owasp: ['A07:2021'],
    bandit: ['B507'],
    ruff: ['S507'],
    messages: {
      policy:
        '`set_missing_host_key_policy({{policy}})` connects to servers whose host key is unknown: an attacker on the network path can impersonate the server and capture the credentials and commands sent to it.',
      knownHostsNone:
        '`{{fn}}(known_hosts=None)` disables host key checking: an attacker on the network path can impersonate the server and capture the credentials and commands sent to it.',
    },
    docs: {
      whatItDoes:
        'Flags paramiko clients told to accept unknown host keys, `set_missing_host_key_policy(paramiko.AutoAddPolicy())` or `WarningPolicy()` (instance or class), and asyncssh connections with `known_hosts=None`. `RejectPolicy` and custom policy classes are not flagged.',
      whyBad:
        'The host key is how an SSH client knows it reached the real server. Accepting whatever key is offered means anyone who can intercept the connection (a compromised router, ARP or DNS spoofing, a malicious network) can pose as the server, receive the password or forward the agent, and see or change every command and file transferred. `WarningPolicy` only logs the problem and connects anyway; `AutoAddPolicy` even saves the attacker\'s key as trusted when host keys are saved.',
      example:
        'import paramiko\n\nclient = paramiko.SSHClient()\nclient.set_missing_host_key_policy(paramiko.AutoAddPolicy())\nclient.connect("deploy.example.com", username="deploy")',
      useInstead:
        'import paramiko\n\nclient = paramiko.SSHClient()\nclient.load_system_host_keys()          # ~/.ssh/known_hosts\nclient.load_host_keys("/etc/app/known_hosts")  # keys distributed with the app\nclient.set_missing_host_key_policy(paramiko.RejectPolicy())\nclient.connect("deploy.example.com", username="deploy")',
      fixSafety:
        'No automatic fix: switching to `RejectPolicy` makes connections fail until the servers\' host keys are provisioned (a known_hosts file or `load_host_keys`), which is a deployment change.',
      references: [
        'https://docs.paramiko.org/en/stable/api/client.html#paramiko.client.SSHClient.set_missing_host_key_policy',
        'https://asyncssh.readthedocs.io/en/latest/api.html#specifying-known-hosts',
        'https://cwe.mitre.org/data/definitions/322.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => method === 'set_missing_host_key_policy' || (name !== null && ASYNCSSH.has(name)),
  create(ctx) {
    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (name && ASYNCSSH.has(name)) {
          const kw = keywordArgNode(node, 'known_hosts');
          const value = keywordArg(node, 'known_hosts');
          if (kw && value && isNone(unparen(value))) {
            ctx.report({ node: kw, messageId: 'knownHostsNone', data: { fn: name } });
          }
          return;
        }
        const m = methodCall(node);
        if (m?.method !== 'set_missing_host_key_policy') return;
        const policy = policyOf(ctx, argument(node, 0, 'policy'));
        if (policy) ctx.report({ node, messageId: 'policy', data: { policy } });
      },
    };
  },
});
