import { createRule, type Confidence } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { snakeCase, stringValue, unparen } from '../../python/ast.js';
import { importsPackage, isTestPath } from '../../python/module-info.js';
import { secretNameKind } from '../../python/secrets.js';

/** Methods of `logging.Logger` (and structlog/loguru loggers) that write a record. */
const LOG_METHODS = new Set(['debug', 'info', 'warning', 'warn', 'error', 'exception', 'critical', 'fatal', 'log', 'msg', 'trace', 'success']);

/** Module-level functions of `logging` that log through the root logger. */
const LOGGING_FUNCTIONS = new Set([...LOG_METHODS].filter((m) => m !== 'msg' && m !== 'trace' && m !== 'success').map((m) => `logging.${m}`));

/** Factories whose result is a logger. */
const LOGGER_FACTORIES = new Set([
  'logging.getLogger',
  'logging.Logger',
  'logging.LoggerAdapter',
  'structlog.get_logger',
  'structlog.getLogger',
  'structlog.stdlib.get_logger',
  'celery.utils.log.get_task_logger',
]);

/** Objects that are loggers by import. */
const LOGGER_OBJECTS = new Set(['loguru.logger', 'flask.current_app.logger']);

/** Receiver names that are loggers by convention: `logger`, `log`, `LOGGER`, `_log`, `app.logger`. */
const LOGGER_NAME = /^_*(?:logger|log|logging|LOGGER|LOG|Logger|Log)$/;

/** Keyword arguments of logging calls that carry no message data. */
const CONTROL_KEYWORDS = new Set(['exc_info', 'stack_info', 'stacklevel', 'sep', 'end', 'file', 'flush']);

/** Packages whose code calls lexical tokens `token`: a `token` there is a word, not a credential. */
const TEXT_PACKAGES = [
  'nltk', 'spacy', 'transformers', 'tokenizers', 'tiktoken', 'sentencepiece', 'tokenize', 'pygments', 'ply', 'lark',
  'jieba', 'gensim', 'torchtext', 'sly', 'parso', 'libcst', 'lib2to3',
];

/** Last words of names that locate a secret instead of holding it: `token_pos`, `password_offset`. */
const POSITION_WORDS = new Set(['pos', 'position', 'positions', 'idx', 'offset', 'offsets', 'lineno', 'line', 'col', 'span', 'spans', 'range', 'slot']);

/** Tokens of concurrency and flow control, not of authentication: `acquire_token`, `cancel_token`. */
const NOT_CREDENTIAL_WORDS = new Set([
  'acquire', 'lock', 'cancel', 'cancellation', 'continuation', 'resume', 'semaphore', 'lease', 'waiter', 'progress',
  'stream', 'batch', 'ignored',
]);

/** Words that make a `token` a credential rather than a word or lexical unit. */
const CREDENTIAL_TOKEN_WORDS = new Set([
  'access', 'auth', 'api', 'refresh', 'bearer', 'id', 'session', 'oauth', 'jwt', 'github', 'gh', 'slack', 'bot',
  'service', 'client', 'personal', 'private', 'secret', 'security', 'login', 'reset', 'verification', 'invite', 'sas',
]);

/** A logger object: by import, by factory, or by conventional name. */
function isLogger(ctx: RuleContext, node: SyntaxNode): boolean {
  const n = unparen(node);
  const q = ctx.qualifiedName(n);
  if (q !== null && (LOGGER_OBJECTS.has(q) || q.endsWith('.logger'))) return true;
  if (n.type === 'call') {
    const callee = ctx.calleeName(n);
    return callee !== null && LOGGER_FACTORIES.has(callee);
  }
  if (n.type === 'identifier') {
    const made = ctx.constructedBy(n);
    if (made !== null && LOGGER_FACTORIES.has(made)) return true;
    // An imported module or function that happens to be called `log` (`from math import log`).
    if (q !== null && !/logger|log$/i.test(q)) return false;
    return LOGGER_NAME.test(n.text);
  }
  if (n.type === 'attribute') {
    const attr = n.childForFieldName('attribute')?.text ?? '';
    return LOGGER_NAME.test(attr);
  }
  return false;
}

interface Leak {
  node: SyntaxNode;
  name: string;
}

/** The name an expression stands for, when it is a plain reference: `x`, `obj.x`, `d["x"]`. */
function referenceName(n: SyntaxNode): string | null {
  switch (n.type) {
    case 'identifier':
      return n.text;
    case 'attribute':
      return n.childForFieldName('attribute')?.text ?? null;
    case 'subscript': {
      const key = n.childForFieldName('subscript');
      return key ? stringValue(unparen(key)) : null;
    }
    case 'call': {
      // request.form.get("password"), os.environ.get("API_TOKEN"), os.getenv("SECRET_KEY")
      const fn = n.childForFieldName('function');
      const method = fn?.type === 'attribute' ? fn.childForFieldName('attribute')?.text : fn?.text;
      if (method !== 'get' && method !== 'getenv' && method !== 'pop') return null;
      const args = n.childForFieldName('arguments');
      const first = args?.namedChildren.find((c) => c.type !== 'comment');
      return first ? stringValue(unparen(first)) : null;
    }
    default:
      return null;
  }
}

/** Calls that keep the value as it is (`str(token)`, `repr(token)`, `token.strip()`). */
const PASS_THROUGH_FUNCTIONS = new Set(['str', 'repr', 'format']);
const PASS_THROUGH_METHODS = new Set(['strip', 'decode', 'encode', 'lower', 'upper', 'rstrip', 'lstrip']);

export default createRule({
  meta: {
    id: 'secret-logged',
    area: 'logging',
    summary: 'A password, token, API key or other secret is written to a log.',
    severity: 'medium',
    confidence: 'medium',
    cwe: ['CWE-532'],
    owasp: ['A09:2021'],
    messages: {
      logged:
        '`{{name}}` looks like a {{kind}} and is written to the log by `{{call}}`: log files, log shippers and monitoring tools are read by many more people and systems than the secret is meant for. Log that it was present, or a masked form, never the value.',
    },
    docs: {
      whatItDoes:
        'Flags logging calls whose arguments contain a value named like a credential: a variable, attribute, dictionary item or `.get("…")` whose name says password, passphrase, secret, token, API key, private key, client secret or credentials (the same vocabulary as `hardcoded-password`), passed directly, through an f-string, `.format()`, `%` or `+`, or as a keyword (`log.info("login", password=pw)` with structlog). Logging calls are `logging.info(...)` and friends, and `.debug/.info/.warning/.error/.exception/.critical/.log` on a logger: an object from `logging.getLogger()`, `structlog.get_logger()`, loguru\'s `logger`, `app.logger`, or a receiver named `logger`, `log`, `LOGGER`, `_log`. `print()` is reported with low confidence. Not flagged: derived values (`len(password)`, `password is None`, `bool(token)`, `mask(token)`, `token[:4]`), names that describe rather than hold a secret (`token_count`, `password_reset_url`, `token_type`, `csrf_token`), messages that only mention the word, `token` in modules that process text (nltk, spacy, tokenize, ...), in lexers and parsers (judged by file, class or function name) or as a loop variable, and test files.',
      whyBad:
        'Logs are copied to files, terminals, log aggregation services, error trackers and support tickets, kept for months, and readable by far more people than the credentials in them are meant for; they are rarely encrypted or access-controlled like a secret store. A password or token in a log line is a credential leak waiting for the first person or breach that reads the logs (CWE-532).',
      example:
        'import logging\n\nlogger = logging.getLogger(__name__)\n\ndef login(username, password):\n    logger.info(f"login attempt user={username} password={password}")',
      useInstead:
        'import logging\n\nlogger = logging.getLogger(__name__)\n\ndef login(username, password):\n    logger.info("login attempt user=%s (password given: %s)", username, bool(password))',
      fixSafety:
        'No automatic fix: decide what the log line needs (usually that a secret was present, or its last few characters) and rewrite it. Secrets that were already logged should be rotated, and old log files purged.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Logging_Cheat_Sheet.html#data-to-exclude',
        'https://docs.python.org/3/howto/logging.html',
        'https://owasp.org/Top10/A09_2021-Security_Logging_and_Monitoring_Failures/',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) => LOG_METHODS.has(method) || name === 'print',
  create(ctx) {
    if (isTestPath(ctx.path)) return {};
    let textModule: boolean | null = null;
    const isTextModule = (): boolean => (textModule ??= TEXT_PACKAGES.some((p) => importsPackage(ctx, p)));

    /** Is a reference to `name` at `node` a credential? */
    const secretName = (node: SyntaxNode, name: string): 'password' | 'secret' | null => {
      const kind = secretNameKind(name);
      if (!kind) return null;
      const words = snakeCase(name).split(/[^a-z0-9]+/).filter(Boolean);
      if (words.length > 1 && POSITION_WORDS.has(words[words.length - 1] ?? '')) return null;
      if (words.some((w) => NOT_CREDENTIAL_WORDS.has(w))) return null;
      // A lexical token (`token`, `token_value`, `current_token`) in text-processing code.
      if (words.some((w) => w === 'token' || w === 'tokens' || w === 'tok') && !words.some((w) => CREDENTIAL_TOKEN_WORDS.has(w))) {
        if (isTextModule() || inLexer(node, ctx.path) || (node.type === 'identifier' && isLoopVariable(node))) return null;
      }
      if (node.type === 'identifier') {
        const lower = name.toLowerCase();
        // `pwd` is also the Unix password-database module and the usual name for the working directory.
        if (lower === 'pwd') {
          const q = ctx.qualifiedName(node);
          const made = ctx.constructedBy(node);
          if (q === 'pwd' || (made !== null && /getcwd|cwd$/.test(made))) return null;
        }
      }
      return kind;
    };

    /** The first reference to a secret that reaches the log unchanged, in an argument. */
    const find = (node: SyntaxNode | null, depth = 0): Leak | null => {
      if (!node || depth > 6) return null;
      const n = unparen(node);
      const name = referenceName(n);
      if (name !== null) {
        // `token[:4]` is a masked value, `d["x"]` / `x.y` a plain reference.
        if (n.type === 'subscript' && n.childForFieldName('subscript')?.type === 'slice') return null;
        return secretName(n, name) ? { node: n, name } : null;
      }
      switch (n.type) {
        case 'string':
        case 'concatenated_string': {
          for (const c of n.type === 'string' ? [n] : n.namedChildren) {
            for (const part of c.namedChildren) {
              if (part.type !== 'interpolation') continue;
              const leak = find(part.childForFieldName('expression'), depth + 1);
              if (leak) return leak;
            }
          }
          return null;
        }
        case 'binary_operator': {
          const op = n.child(1)?.type;
          if (op !== '%' && op !== '+') return null;
          return find(n.childForFieldName('left'), depth + 1) ?? find(n.childForFieldName('right'), depth + 1);
        }
        case 'tuple':
        case 'list':
          for (const c of n.namedChildren) {
            const leak = find(c, depth + 1);
            if (leak) return leak;
          }
          return null;
        case 'dictionary':
          for (const pair of n.namedChildren) {
            if (pair.type !== 'pair') continue;
            const value = pair.childForFieldName('value');
            const leak = find(value, depth + 1);
            if (leak) return leak;
            const key = stringValue(pair.childForFieldName('key'));
            if (key !== null && value && isRawValue(value) && secretName(pair, key)) return { node: unparen(value), name: key };
          }
          return null;
        case 'call': {
          const fn = n.childForFieldName('function');
          if (!fn) return null;
          const args = n.childForFieldName('arguments');
          if (fn.type === 'attribute') {
            const method = fn.childForFieldName('attribute')?.text ?? '';
            const obj = fn.childForFieldName('object');
            if (method === 'format' && obj && stringValue(unparen(obj)) !== null) return findInArgs(args, depth);
            if (PASS_THROUGH_METHODS.has(method)) return find(obj, depth + 1);
            return null;
          }
          if (fn.type === 'identifier' && PASS_THROUGH_FUNCTIONS.has(fn.text) && ctx.qualifiedName(fn) === fn.text) {
            return findInArgs(args, depth);
          }
          return null;
        }
        default:
          return null;
      }
    };

    const findInArgs = (args: SyntaxNode | null, depth: number): Leak | null => {
      if (!args) return null;
      for (const a of args.namedChildren) {
        if (a.type === 'comment' || a.type === 'list_splat' || a.type === 'dictionary_splat') continue;
        if (a.type === 'keyword_argument') {
          const kw = a.childForFieldName('name')?.text ?? '';
          if (CONTROL_KEYWORDS.has(kw)) continue;
          const value = a.childForFieldName('value');
          const leak = find(value, depth + 1);
          if (leak) return leak;
          // structlog: `log.info("login", password=pw)` logs the keyword under that name.
          if (value && isRawValue(value) && secretName(a, kw)) return { node: unparen(value), name: kw };
          continue;
        }
        const leak = find(a, depth + 1);
        if (leak) return leak;
      }
      return null;
    };

    return {
      call(node) {
        const fn = node.childForFieldName('function');
        if (!fn) return;
        const q = ctx.calleeName(node);
        let call: string;
        let confidence: Confidence | undefined;
        if (q === 'print') {
          call = 'print';
          confidence = 'low';
        } else if (q !== null && LOGGING_FUNCTIONS.has(q)) {
          call = q;
        } else if (fn.type === 'attribute') {
          const method = fn.childForFieldName('attribute')?.text ?? '';
          const receiver = fn.childForFieldName('object');
          if (!LOG_METHODS.has(method) || !receiver || !isLogger(ctx, receiver)) return;
          call = `${unparen(receiver).text.length > 30 ? 'logger' : unparen(receiver).text}.${method}`;
        } else {
          return;
        }
        const leak = findInArgs(node.childForFieldName('arguments'), 0);
        if (!leak) return;
        const kind = secretNameKind(leak.name) === 'password' ? 'password' : 'secret';
        ctx.report({ node: leak.node, messageId: 'logged', data: { name: leak.name, kind, call }, ...(confidence ? { confidence } : {}) });
      },
    };
  },
});

/** A value that is itself the secret, not a literal or a derived fact about it. */
function isRawValue(node: SyntaxNode): boolean {
  const n = unparen(node);
  if (n.type === 'subscript') return n.childForFieldName('subscript')?.type !== 'slice';
  return n.type === 'identifier' || n.type === 'attribute';
}

/** `for token in tokens:` / `[t for token in doc]`: a word from a sequence, not a credential. */
function isLoopVariable(id: SyntaxNode): boolean {
  for (let p = id.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition' || p.type === 'module') break;
    if (p.type === 'for_statement' || p.type === 'for_in_clause') {
      const left = p.childForFieldName('left');
      if (left && containsName(left, id.text)) return true;
    }
    if (p.type === 'list_comprehension' || p.type === 'generator_expression' || p.type === 'set_comprehension' || p.type === 'dictionary_comprehension') {
      for (const c of p.namedChildren) {
        if (c.type === 'for_in_clause') {
          const left = c.childForFieldName('left');
          if (left && containsName(left, id.text)) return true;
        }
      }
    }
  }
  return false;
}

function containsName(node: SyntaxNode, name: string): boolean {
  if (node.type === 'identifier') return node.text === name;
  return node.namedChildren.some((c) => containsName(c, name));
}

/** Lexers and parsers call their lexical units `token`: by file, class or function name. */
const LEXER_WORDS = /lex|pars|token|scan|grammar|syntax|compil|interp/i;

function inLexer(node: SyntaxNode, path: string): boolean {
  const file = path.split(/[\\/]/).pop() ?? '';
  if (LEXER_WORDS.test(file)) return true;
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'class_definition') {
      if (LEXER_WORDS.test(p.childForFieldName('name')?.text ?? '')) return true;
    }
  }
  return false;
}
