/**
 * The rule ids the accuracy corpus (test/corpus) may name in its `# expect:` / `# safe:`
 * markers. This is the one list to check when rules are added or renamed: a marker naming
 * an id outside it fails the accuracy test, so a typo cannot silently score as a miss.
 */

/** Rules registered when the corpus was written (see docs/rules). */
export const EXISTING_RULE_IDS = [
  'bind-all-interfaces',
  'csrf-protection-disabled',
  'django-debug-enabled',
  'dynamic-code-execution',
  'flask-debug-enabled',
  'hardcoded-password',
  'hardcoded-secret',
  'insecure-cookie',
  'insecure-temp-file',
  'jinja2-autoescape-disabled',
  'jwt-verify-disabled',
  'logging-config-listen',
  'open-redirect',
  'password-fast-hash',
  'path-traversal',
  'permissive-file-mode',
  'shell-command-built',
  'sql-string-built',
  'ssh-host-key-unverified',
  'tls-insecure-protocol',
  'tls-unverified-context',
  'tls-verify-disabled',
  'unescaped-markup',
  'unsafe-archive-extraction',
  'unsafe-deserialization',
  'weak-cipher',
  'weak-cipher-mode',
  'weak-key-size',
  'weak-random-token',
  'xml-external-entities',
  'yaml-unsafe-load',
] as const;

/** Rules being built (issue 4) that the corpus already labels. */
export const PLANNED_RULE_IDS = [
  // taint rules
  'sql-injection',
  'command-injection',
  'code-injection',
  'template-injection',
  'reflected-xss',
  'ssrf',
  'xpath-injection',
  'ldap-injection',
  'untrusted-xml-parse',
  'trust-boundary-violation',
  'header-injection',
  'log-injection',
  // pattern rules
  'route-missing-auth',
  'drf-permission-disabled',
  'mass-assignment',
  'cors-permissive',
  'sql-excessive-privilege',
  'database-superuser-account',
  'database-url-credentials',
  'secret-logged',
  'stack-trace-exposed',
  'werkzeug-debugger-enabled',
  'debug-toolbar-enabled',
  'plaintext-password-stored',
  'weak-hash',
  'weak-password-hasher',
  'cleartext-credentials',
  'assert-used-for-authorization',
  'request-without-timeout',
] as const;

/** Every id a corpus marker may name. */
export const CORPUS_RULE_IDS: readonly string[] = [...EXISTING_RULE_IDS, ...PLANNED_RULE_IDS];

/** The "injection" group scored together (its TPR − FPR has its own target). */
export const INJECTION_RULE_IDS: readonly string[] = [
  'sql-injection',
  'command-injection',
  'code-injection',
  'template-injection',
  'reflected-xss',
  'path-traversal',
  'ssrf',
  'open-redirect',
  'xpath-injection',
  'ldap-injection',
  'header-injection',
  'log-injection',
  'untrusted-xml-parse',
];

/** Targets the accuracy test asserts (issue 4). */
export const ACCURACY_TARGETS = {
  /** Overall recall (TPR) at least this. */
  minRecall: 0.75,
  /** Overall false-positive rate at most this. */
  maxFalsePositiveRate: 0.1,
  /** Injection group TPR − FPR at least this. */
  minInjectionYouden: 0.75,
} as const;
