import { createRule } from '../../core/types.js';
import { argument, hasSplat, isNone, unparen } from '../../python/ast.js';

const LISTEN = 'logging.config.listen';

export default createRule({
  meta: {
    id: 'logging-config-listen',
    area: 'logging',
    summary: '`logging.config.listen()` accepts logging configurations from a socket without a `verify` function.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-94'],
    owasp: ['A08:2021'],
    bandit: ['B612'],
    ruff: ['S612'],
    messages: {
      noVerify:
        '`logging.config.listen()` applies any configuration sent to its socket without `verify=`; a configuration can import and call arbitrary code, so whoever can connect can run code in this process.',
    },
    docs: {
      whatItDoes:
        'Flags calls to `logging.config.listen(...)` that do not pass a `verify` callable (no `verify=` argument, or `verify=None`). Calls that pass `verify` (by keyword or as the second positional argument) are not flagged, nor are calls with `*args`/`**kwargs`, whose arguments cannot be known.',
      whyBad:
        '`logging.config.listen()` starts a socket server (port 9030 on localhost by default) and applies every configuration it receives with `fileConfig` or `dictConfig`. Those formats name classes and factories to import and call, and `fileConfig` evaluates parts of the file with `eval()`, so sending a configuration is equivalent to running code in the process. Any local user or process, or anyone on the network when the listener is exposed or forwarded, can take over the application. The `verify` callable is the only hook to authenticate or check the received bytes (for example, an HMAC signature) before they are applied.',
      example: 'import logging.config\n\nthread = logging.config.listen(9999)\nthread.start()',
      useInstead:
        'import hashlib\nimport hmac\nimport logging.config\n\nKEY = load_key()\n\ndef verify(data: bytes) -> bytes | None:\n    signature, payload = data[:32], data[32:]\n    expected = hmac.new(KEY, payload, hashlib.sha256).digest()\n    return payload if hmac.compare_digest(signature, expected) else None\n\nthread = logging.config.listen(9999, verify=verify)\nthread.start()',
      fixSafety: 'No automatic fix: the verification (signature, decryption, allow-list) has to be designed for the deployment.',
      references: [
        'https://docs.python.org/3/library/logging.config.html#logging.config.listen',
        'https://docs.python.org/3/library/logging.config.html#security-considerations',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name === LISTEN,
  create(ctx) {
    return {
      call(node) {
        if (ctx.calleeName(node) !== LISTEN || hasSplat(node)) return;
        const verify = argument(node, 1, 'verify');
        if (verify && !isNone(unparen(verify))) return;
        ctx.report({ node, messageId: 'noVerify' });
      },
    };
  },
});
