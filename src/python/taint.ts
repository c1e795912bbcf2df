/**
 * Intra-procedural taint tracking on the tree-sitter tree, with summaries of functions defined
 * in the same module.
 *
 * A taint rule asks one question at a sink: "can the value of this expression come from an
 * attacker, without passing a sanitizer for this kind of sink?" (`taintAt`). The answer comes
 * from an abstract interpretation of the function that contains the sink, statement by
 * statement, in source order:
 *
 * - the environment maps local names to abstract values: where the value may come from (a source,
 *   parameters of the function, or something unknown) and which sink kinds it has been sanitized
 *   for. Assignments replace a name's value (a constant kills taint); branches are analysed
 *   separately and joined; a branch whose condition folds to a constant is the only one taken; a
 *   branch that returns, raises or aborts does not flow on.
 * - guards refine values in the branch they protect: `if x in ALLOWED`, `x.isdigit()`,
 *   anchored `re.fullmatch`, `url_has_allowed_host_and_scheme(x)`, `realpath(p).startswith(BASE)`.
 * - calls to functions of the same module use summaries (which parameters reach the return
 *   value, and which sanitizers they pass); a value that reaches a sink from a parameter is
 *   traced back to the call sites of the function in the module.
 *
 * Every expression the interpreter evaluates is recorded by source range, so a sink looks up
 * its argument's value after one pass over the function. Code the interpreter never reaches
 * (a constant-false branch, statements after `return`) has no value and is reported clean.
 *
 * The analysis runs only for functions that contain a sink some rule asks about, and is cached
 * per file, so the single tree walk of the engine stays the only full pass over the file.
 */
import type { RuleContext } from '../core/context.js';
import { rangeOf } from '../core/context.js';
import type { FlowStep } from '../core/types.js';
import type { SyntaxNode } from './parser.js';
import { decoratorsOf, decoratorExpression, stringValue, unparen } from './ast.js';
import { importsWebFramework, isRequestObject } from './values.js';

export const SINK_KINDS = [
  'sql',
  'command',
  'code',
  'template',
  'xss',
  'path',
  'ssrf',
  'redirect',
  'xpath',
  'ldap',
  'xml',
  'deserialization',
  'session',
  'header',
  'log',
] as const;
export type SinkKind = (typeof SINK_KINDS)[number];

const BIT: Record<SinkKind, number> = Object.fromEntries(SINK_KINDS.map((k, i) => [k, 1 << i])) as Record<
  SinkKind,
  number
>;
const ALL = (1 << SINK_KINDS.length) - 1;

function bits(kinds: readonly SinkKind[]): number {
  return kinds.reduce((m, k) => m | BIT[k], 0);
}

/** Where tainted data entered the function. */
export interface TaintSource {
  /** e.g. `request.args` (HTTP request data) */
  label: string;
  step: FlowStep;
}

/**
 * The abstract value of an expression. `null` means untainted and fully known (a constant, a
 * number, a sanitized value...).
 */
interface TVal {
  /** The first attacker-controlled source that may reach this value. */
  src: TaintSource | null;
  /** Bit i: the value may come from parameter i of the function being analysed. */
  params: number;
  /** The value depends on something the analysis cannot see (unknown calls, globals, fields). */
  opaque: boolean;
  /** Sink kinds the attacker-controlled part (src, params) has been sanitized for. */
  clean: number;
  /** Sink kinds the unknown part (opaque) has been sanitized for (default none). */
  oclean?: number;
  /** Assignments the tainted value went through (after the source). */
  steps: FlowStep[];
  /** Produced by a path normaliser (realpath/abspath/normpath/resolve), for startswith guards. */
  normalized?: boolean;
  /** Per-key values of a dict built from a literal with constant keys. */
  fields?: Map<string, V>;
}
type V = TVal | null;

const MAX_STEPS = 6;
const OPAQUE: TVal = { src: null, params: 0, opaque: true, clean: 0, steps: [] };

function join(a: V, b: V): V {
  if (!a) return b && isClean(b) ? null : b;
  if (!b) return isClean(a) ? null : a;
  if (a === b) return a;
  const out: TVal = {
    src: a.src ?? b.src,
    params: a.params | b.params,
    opaque: a.opaque || b.opaque,
    // A kind is sanitized only if it is on every path that carries data.
    clean: taintClean(a) & taintClean(b),
    oclean: opaqueClean(a) & opaqueClean(b),
    steps: a.src ? a.steps : b.steps,
  };
  if (a.normalized && b.normalized) out.normalized = true;
  return out;
}

/** Kinds the attacker-controlled part is safe for (all when there is none). */
function taintClean(v: TVal): number {
  return v.src || v.params ? v.clean : ALL;
}

/** Kinds the unknown part is safe for (all when there is none). */
function opaqueClean(v: TVal): number {
  return v.opaque ? (v.oclean ?? 0) : ALL;
}

function isClean(v: TVal): boolean {
  return (taintClean(v) & opaqueClean(v)) === ALL && !v.fields;
}

function sanitize(v: V, mask: number): V {
  if (!v) return null;
  const out: TVal = { ...v, clean: v.clean | mask, oclean: (v.oclean ?? 0) | mask, fields: undefined };
  return isClean(out) ? null : out;
}

function withStep(v: V, step: FlowStep): V {
  if (!v || !v.src) return v;
  if (v.steps.length >= MAX_STEPS) return v;
  return { ...v, steps: [...v.steps, step] };
}

/** Strip field precision (the value is used as a whole). */
function whole(v: V): V {
  if (!v || !v.fields) return v;
  let out: V = { ...v, fields: undefined };
  for (const f of v.fields.values()) out = join(out, f);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Sources and sanitizers

/** Request attributes that carry client data (URL-derived ones that rules treat specially excluded). */
const REQUEST_DATA = new Set([
  'args', 'form', 'values', 'json', 'data', 'cookies', 'headers', 'files', 'view_args', 'get_json', 'get_data',
  'query_string', 'GET', 'POST', 'COOKIES', 'META', 'body', 'FILES', 'query_params', 'path_params', 'form_data',
  'match_info', 'query', 'params', 'content', 'text', 'stream', 'environ',
  // Tornado (`self.request.arguments`), Falcon (`req.media`), Pyramid (`request.matchdict`)
  'arguments', 'query_arguments', 'body_arguments', 'media', 'matchdict', 'json_body',
]);
/** Request methods returning client data (awaited in Starlette: `await request.json()`). */
const REQUEST_METHODS = new Set([
  'get_json', 'get_data', 'json', 'form', 'body', 'stream', 'text', 'read', 'post',
  // Falcon
  'get_param', 'get_param_as_list', 'get_header', 'get_media',
]);

/** Tornado `RequestHandler` methods that return client data (`self.get_argument("q")`). */
const TORNADO_METHODS = new Set([
  'get_argument', 'get_arguments', 'get_query_argument', 'get_query_arguments', 'get_body_argument',
  'get_body_arguments', 'get_cookie',
]);

/** Calls whose result is a number, a boolean or a fixed-alphabet digest: nothing to inject. */
const NEUTRALIZING = new Set([
  'int', 'float', 'bool', 'len', 'abs', 'round', 'ord', 'hash', 'id', 'isinstance', 'issubclass', 'callable',
  'hasattr', 'uuid.UUID', 'decimal.Decimal', 'math.floor', 'math.ceil', 'datetime.date.fromisoformat',
  'datetime.datetime.fromisoformat', 'datetime.datetime.strptime', 'ipaddress.ip_address',
  'ipaddress.ip_network', 'flask.url_for', 'django.urls.reverse', 'django.shortcuts.reverse',
  'hashlib.md5', 'hashlib.sha1', 'hashlib.sha256', 'hashlib.sha512', 'hashlib.sha224', 'hashlib.sha384',
  'hashlib.blake2b', 'hashlib.blake2s', 'hashlib.new', 'hmac.new', 'hmac.compare_digest', 'secrets.compare_digest',
  'os.path.exists', 'os.path.isfile', 'os.path.isdir', 'os.path.getsize', 're.escape_never',
]);

/** Sanitizers by qualified name: the kinds their result is safe for. */
const SANITIZERS: Record<string, number> = {
  'shlex.quote': bits(['command']),
  'pipes.quote': bits(['command']),
  'shlex.join': bits(['command']),
  'html.escape': bits(['xss', 'header', 'log']),
  'markupsafe.escape': bits(['xss']),
  'flask.escape': bits(['xss']),
  'jinja2.escape': bits(['xss']),
  'cgi.escape': bits(['xss']),
  'django.utils.html.escape': bits(['xss']),
  'django.utils.html.conditional_escape': bits(['xss']),
  'django.utils.html.strip_tags': bits(['xss']),
  'django.utils.html.format_html': bits(['xss']),
  'django.utils.html.format_html_join': bits(['xss']),
  'bleach.clean': bits(['xss']),
  'xml.sax.saxutils.escape': bits(['xss']),
  'xml.sax.saxutils.quoteattr': bits(['xss', 'xpath']),
  'os.path.basename': bits(['path']),
  'posixpath.basename': bits(['path']),
  'werkzeug.utils.secure_filename': bits(['path', 'command', 'header', 'log']),
  'werkzeug.secure_filename': bits(['path', 'command', 'header', 'log']),
  'flask.safe_join': bits(['path']),
  'werkzeug.utils.safe_join': bits(['path']),
  'werkzeug.security.safe_join': bits(['path']),
  'django.utils._os.safe_join': bits(['path']),
  'django.utils.text.get_valid_filename': bits(['path', 'command']),
  'django.utils.text.slugify': bits(['path', 'command', 'sql', 'xss', 'header', 'log', 'ldap', 'xpath']),
  'slugify.slugify': bits(['path', 'command', 'sql', 'xss', 'header', 'log', 'ldap', 'xpath']),
  'urllib.parse.quote': bits(['header', 'log', 'xss']),
  'urllib.parse.quote_plus': bits(['header', 'log', 'xss', 'path', 'command']),
  'urllib.parse.urlencode': bits(['header', 'log', 'xss']),
  'ldap3.utils.conv.escape_filter_chars': bits(['ldap']),
  'ldap.filter.escape_filter_chars': bits(['ldap']),
  'ldap.filter.filter_format': bits(['ldap']),
  'ldap.dn.escape_dn_chars': bits(['ldap']),
  'ldap3.utils.dn.escape_rdn': bits(['ldap']),
  'base64.b64encode': ALL & ~bits(['path']),
  'base64.urlsafe_b64encode': ALL,
  'binascii.hexlify': ALL,
  'json.dumps': bits(['header', 'log']),
  'psycopg2.sql.Literal': bits(['sql']),
  'psycopg.sql.Literal': bits(['sql']),
  'psycopg2.sql.Identifier': bits(['sql']),
  'psycopg.sql.Identifier': bits(['sql']),
  'psycopg2.extensions.quote_ident': bits(['sql']),
};

/**
 * Look-ups that take attacker data as a key and return stored data: the result is not the
 * input (a second-order flow, out of scope), so it is unknown rather than tainted.
 */
const LOOKUPS = new Set([
  'django.contrib.auth.authenticate', 'django.shortcuts.get_object_or_404', 'django.shortcuts.get_list_or_404',
  'flask_login.login_user', 'flask.ext.login.login_user',
]);

/** Database-API methods: their result comes from the database, not from their arguments. */
const DB_RESULT_METHODS = new Set([
  'execute', 'executemany', 'fetchone', 'fetchall', 'fetchmany', 'first', 'one', 'one_or_none', 'scalar',
  'scalars', 'scalar_one', 'scalar_one_or_none', 'first_or_404', 'get_or_404', 'one_or_404', 'filter',
  'filter_by', 'exclude', 'where', 'order_by', 'select_related', 'prefetch_related', 'annotate', 'aggregate',
  'get_object', 'find_one', 'find', 'raw', 'objects',
]);

/** Path normalisers: their result may be checked with `startswith` to confine it. */
const NORMALIZERS = new Set(['os.path.realpath', 'os.path.abspath', 'os.path.normpath', 'posixpath.normpath']);

/** Calls whose result is attacker data wherever they appear. */
const SOURCE_CALLS: Record<string, string> = {
  input: 'input()',
  raw_input: 'raw_input()',
  'sys.stdin.read': 'sys.stdin',
  'sys.stdin.readline': 'sys.stdin',
  'fileinput.input': 'fileinput.input()',
};

/** Calls that open a file: the file object (and its content) is not the path's data. */
const FILE_OPENERS = new Set([
  'open', 'builtins.open', 'io.open', 'io.open_code', 'codecs.open', 'tokenize.open', 'os.fdopen',
  'gzip.open', 'bz2.open', 'lzma.open', 'tarfile.open', 'zipfile.ZipFile', 'shelve.open', 'dbm.open',
]);

/**
 * Calls that run a program: what it prints is the program's output, not the command line's
 * data (a tainted command line is command-injection's finding, not also the output's).
 */
const PROCESS_RUNNERS = new Set([
  'subprocess.run', 'subprocess.check_output', 'subprocess.check_call', 'subprocess.call', 'subprocess.getoutput',
  'subprocess.getstatusoutput', 'subprocess.Popen', 'os.popen', 'os.system',
]);

/** Methods returning data read from a network peer (in a module that uses sockets). */
const SOCKET_METHODS = new Set(['recv', 'recvfrom', 'recvmsg']);

export interface TaintSettings {
  /** Treat `os.environ`/`os.getenv` as attacker-controlled. */
  environment: boolean;
  /** Extra sources: qualified names of functions (their result) or attributes (their value). */
  sources: readonly string[];
  /** Extra sanitizers: qualified name → sink kinds (all kinds when empty). */
  sanitizers: ReadonlyMap<string, readonly SinkKind[]>;
}

export const DEFAULT_TAINT_SETTINGS: TaintSettings = { environment: false, sources: [], sanitizers: new Map() };

// ---------------------------------------------------------------------------------------------
// Constant folding

type Const = string | number | boolean | null | undefined; // undefined: not a constant

function constOf(node: SyntaxNode): Const {
  switch (node.type) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'none':
      return null;
    case 'integer': {
      const n = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(n) ? n : undefined;
    }
    case 'float': {
      const n = Number(node.text.replace(/_/g, ''));
      return Number.isFinite(n) ? n : undefined;
    }
    case 'string': {
      const s = stringValue(node);
      return s === null ? undefined : s;
    }
    default:
      return undefined;
  }
}

function truthy(c: Const): boolean | undefined {
  if (c === undefined) return undefined;
  if (c === null) return false;
  if (typeof c === 'string') return c.length > 0;
  if (typeof c === 'number') return c !== 0;
  return c;
}

// ---------------------------------------------------------------------------------------------
// Per-function analysis

type Env = Map<string, V>;
type Consts = Map<string, Const>;

interface State {
  env: Env;
  consts: Consts;
}

export interface TaintResult {
  /** Attacker data reaches the sink. */
  tainted: boolean;
  /** The value comes (also) from somewhere the analysis cannot see. */
  unknown: boolean;
  source?: TaintSource;
  /** Source, assignments, calls: ready to end with the sink step. */
  flow: FlowStep[];
}

interface FunctionAnalysis {
  node: SyntaxNode;
  params: string[];
  values: Map<string, V>;
  returns: V;
  /** True when the function is a request handler whose parameters are sources. */
  handler: boolean;
  dead: [number, number][];
  incomplete: boolean;
}

interface FileTaint {
  settings: TaintSettings;
  analyses: Map<number, FunctionAnalysis | 'pending'>;
  callSites?: Map<string, SyntaxNode[]>;
  moduleEnv?: Env;
  mayHaveSources?: boolean;
}

const files = new WeakMap<object, FileTaint>();

function fileOf(ctx: RuleContext): FileTaint {
  let f = files.get(ctx.root);
  if (!f) {
    f = { settings: ctx.taintSettings, analyses: new Map() };
    files.set(ctx.root, f);
  }
  return f;
}

function key(n: SyntaxNode): string {
  return `${n.startIndex}:${n.endIndex}:${n.type}`;
}

function step(node: SyntaxNode, message: string): FlowStep {
  return { range: rangeOf(node), message };
}

/** The function (or module) whose body contains `node`; lambdas and classes are looked through. */
function ownerOf(node: SyntaxNode): SyntaxNode {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'module') return n;
  }
  return node;
}

const TERMINATING_CALLS = new Set([
  'flask.abort', 'werkzeug.exceptions.abort', 'sys.exit', 'exit', 'quit', 'os._exit', 'django.http.Http404',
  'fastapi.HTTPException', 'pytest.fail', 'pytest.skip',
]);

class Interpreter {
  readonly values = new Map<string, V>();
  /**
   * `parsed = urlparse(url)`, `host = urlsplit(url).hostname or ""`: checking the host of
   * `parsed`/`host` against an allow-list constrains `url` too (for SSRF and redirects).
   */
  private readonly derivedFrom = new Map<string, string>();
  /** Source ranges of code that never runs (constant-false branches, code after return). */
  readonly dead: [number, number][] = [];
  returns: V = null;
  /** Route/view parameters that are sources, by name. */
  private handlerParams = new Map<string, string>();
  private readonly isModule: boolean;

  constructor(
    private readonly ctx: RuleContext,
    private readonly file: FileTaint,
    private readonly fn: SyntaxNode,
    private readonly params: string[],
  ) {
    this.isModule = fn.type === 'module';
  }

  run(handlerSources: Map<string, string>, safeParams: Set<string>): void {
    const env: Env = new Map();
    const consts: Consts = new Map();
    this.handlerParams = handlerSources;
    this.params.forEach((param, i) => {
      // `*args` / `**kwargs` are bound under their bare names.
      const p = param.replace(/^\*+/, '');
      if (safeParams.has(p)) {
        env.set(p, null);
      } else if (handlerSources.has(p)) {
        const label = handlerSources.get(p) ?? p;
        env.set(p, { src: { label, step: step(this.paramNode(p) ?? this.fn, `${label}`) }, params: 0, opaque: false, clean: 0, steps: [] });
      } else if (i < 31) {
        env.set(p, { src: null, params: 1 << i, opaque: false, clean: 0, steps: [] });
      } else {
        env.set(p, OPAQUE);
      }
    });
    const body = this.isModule ? this.fn : this.fn.childForFieldName('body');
    if (!body) return;
    this.block(body, { env, consts });
    if (this.isModule) this.file.moduleEnv = env;
  }

  private paramNode(name: string): SyntaxNode | null {
    const ps = this.fn.childForFieldName('parameters');
    if (!ps) return null;
    for (const p of ps.namedChildren) {
      const id = p.type === 'identifier' ? p : (p.childForFieldName('name') ?? p.namedChildren.find((c) => c.type === 'identifier'));
      if (id?.text === name) return id;
    }
    return null;
  }

  // --- statements ---------------------------------------------------------------------------

  /** Runs the statements of a block; returns null when control cannot fall through. */
  private block(block: SyntaxNode, st: State | null): State | null {
    let s = st;
    const stmts = block.namedChildren;
    for (let i = 0; i < stmts.length; i++) {
      const stmt = stmts[i] as SyntaxNode;
      if (!s) {
        // Control cannot reach the rest of the block (return, raise, abort() before it).
        if (i > 0 && stmt.type !== 'comment') this.markDead(stmt.startIndex, block.endIndex);
        return null;
      }
      s = this.stmt(stmt, s);
    }
    return s;
  }

  private markDead(start: number, end: number): void {
    if (!this.dead.some(([a, b]) => a <= start && end <= b)) this.dead.push([start, end]);
  }

  private stmt(node: SyntaxNode, s: State): State | null {
    switch (node.type) {
      case 'expression_statement': {
        let terminated = false;
        for (const e of node.namedChildren) {
          this.expr(e, s);
          if (e.type === 'call' && this.terminates(e)) terminated = true;
        }
        return terminated ? null : s;
      }
      case 'return_statement': {
        const e = node.namedChildren.find((c) => c.type !== 'comment');
        if (e) this.returns = join(this.returns, this.expr(e, s));
        return null;
      }
      case 'raise_statement':
        for (const e of node.namedChildren) this.expr(e, s);
        return null;
      case 'continue_statement':
      case 'break_statement':
        return null;
      case 'if_statement':
        return this.ifStmt(node, s);
      case 'for_statement':
        return this.loop(node, s, true);
      case 'while_statement':
        return this.loop(node, s, false);
      case 'try_statement':
        return this.tryStmt(node, s);
      case 'with_statement':
        return this.withStmt(node, s);
      case 'match_statement':
        return this.matchStmt(node, s);
      case 'function_definition':
      case 'class_definition':
        this.bindDef(node, s);
        return s;
      case 'decorated_definition': {
        const def = node.childForFieldName('definition');
        if (def) this.bindDef(def, s);
        return s;
      }
      case 'delete_statement':
      case 'assert_statement':
        for (const e of node.namedChildren) this.expr(e, s);
        return s;
      case 'block':
        return this.block(node, s);
      default:
        return s;
    }
  }

  private bindDef(def: SyntaxNode, s: State): void {
    const name = def.childForFieldName('name')?.text;
    if (name) {
      s.env.set(name, null);
      s.consts.set(name, undefined);
    }
  }

  private terminates(call: SyntaxNode): boolean {
    const q = this.ctx.calleeName(call);
    if (q && TERMINATING_CALLS.has(q)) return true;
    const fn = call.childForFieldName('function');
    return fn?.type === 'identifier' && (fn.text === 'abort' || fn.text === 'exit') && q === null && !this.isLocal(fn);
  }

  private isLocal(id: SyntaxNode): boolean {
    return this.ctx.resolve(id).kind === 'local';
  }

  private ifStmt(node: SyntaxNode, s: State): State | null {
    const branches: { cond: SyntaxNode | null; body: SyntaxNode | null }[] = [
      { cond: node.childForFieldName('condition'), body: node.childForFieldName('consequence') },
    ];
    for (const alt of node.childrenForFieldName('alternative')) {
      if (alt.type === 'elif_clause') {
        branches.push({ cond: alt.childForFieldName('condition'), body: alt.childForFieldName('consequence') });
      } else {
        branches.push({ cond: null, body: alt.childForFieldName('body') });
      }
    }
    if (branches[branches.length - 1]?.cond !== null) branches.push({ cond: null, body: null });
    let out: State | null = null;
    let cur: State | null = s;
    for (const b of branches) {
      if (!cur) break;
      if (b.cond === null) {
        out = joinStates(out, b.body ? this.block(b.body, cur) : cur);
        cur = null;
        break;
      }
      this.expr(b.cond, cur);
      const c = truthy(this.constValue(b.cond, cur));
      if (c === true) {
        out = joinStates(out, b.body ? this.block(b.body, this.refine(b.cond, copy(cur), true)) : cur);
        cur = null;
        for (const rest of branches.slice(branches.indexOf(b) + 1)) {
          if (rest.body) this.markDead(rest.body.startIndex, rest.body.endIndex);
        }
        break;
      }
      if (c === false) {
        if (b.body) this.markDead(b.body.startIndex, b.body.endIndex);
        continue;
      }
      const taken = b.body ? this.block(b.body, this.refine(b.cond, copy(cur), true)) : cur;
      out = joinStates(out, taken);
      cur = this.refine(b.cond, copy(cur), false);
    }
    if (cur) out = joinStates(out, cur);
    return out;
  }

  private loop(node: SyntaxNode, s: State, isFor: boolean): State | null {
    const body = node.childForFieldName('body');
    const cond = isFor ? null : node.childForFieldName('condition');
    let state = s;
    if (cond) {
      this.expr(cond, state);
      if (truthy(this.constValue(cond, state)) === false) {
        if (body) this.markDead(body.startIndex, body.endIndex);
        const alt = node.childForFieldName('alternative');
        return alt ? this.block(alt.childForFieldName('body') ?? alt, state) : state;
      }
    }
    let exit: State | null = copy(state);
    // Two passes reach a fixed point for the chains of assignments seen in practice.
    for (let pass = 0; pass < 2; pass++) {
      const inner = copy(state);
      if (isFor) {
        const left = node.childForFieldName('left');
        const right = node.childForFieldName('right');
        const elem = right ? this.element(this.expr(right, inner)) : null;
        if (left) this.bind(left, elem, inner, undefined);
      }
      const after = body ? this.block(body, inner) : inner;
      // `break`/`continue` end the pass early; what they carry is approximated by the pass.
      const merged = joinStates(state, after ?? inner);
      if (!merged) break;
      state = merged;
      exit = joinStates(exit, state);
    }
    const alt = node.childForFieldName('alternative');
    if (alt && exit) return this.block(alt.childForFieldName('body') ?? alt, exit);
    if (cond && truthy(this.constValue(cond, s)) === true) {
      // `while True:` leaves only through break: keep the loop's state.
      return exit;
    }
    return exit;
  }

  private element(v: V): V {
    return whole(v);
  }

  private tryStmt(node: SyntaxNode, s: State): State | null {
    const body = node.childForFieldName('body');
    const before = copy(s);
    const afterBody = body ? this.block(body, s) : s;
    let out: State | null = null;
    let handlersIn = joinStates(copy(before), afterBody ? copy(afterBody) : null);
    let elseState = afterBody;
    let fin: SyntaxNode | null = null;
    for (const c of node.namedChildren) {
      if (c.type === 'except_clause' || c.type === 'except_group_clause') {
        if (!handlersIn) continue;
        const h = copy(handlersIn);
        const alias = c.namedChildren.find((x) => x.type === 'as_pattern');
        const target = alias?.childForFieldName('alias') ?? null;
        if (target) this.bind(target, null, h, undefined);
        const blk = c.namedChildren.find((x) => x.type === 'block');
        out = joinStates(out, blk ? this.block(blk, h) : h);
        handlersIn = joinStates(handlersIn, null);
      } else if (c.type === 'else_clause') {
        const blk = c.childForFieldName('body');
        elseState = elseState && blk ? this.block(blk, elseState) : elseState;
      } else if (c.type === 'finally_clause') {
        fin = c.namedChildren.find((x) => x.type === 'block') ?? null;
      }
    }
    out = joinStates(out, elseState);
    if (fin) {
      const f = out ?? copy(before);
      const after = this.block(fin, f);
      return out ? after : null;
    }
    return out;
  }

  private withStmt(node: SyntaxNode, s: State): State | null {
    for (const clause of node.namedChildren) {
      if (clause.type !== 'with_clause') continue;
      for (const item of clause.namedChildren) {
        if (item.type !== 'with_item') continue;
        const value = item.childForFieldName('value');
        if (!value) continue;
        if (value.type === 'as_pattern') {
          const expr = value.namedChildren[0];
          const v = expr ? this.expr(expr, s) : null;
          const target = value.childForFieldName('alias');
          if (target) this.bind(target, v, s, undefined);
        } else {
          this.expr(value, s);
        }
      }
    }
    const body = node.childForFieldName('body');
    return body ? this.block(body, s) : s;
  }

  private matchStmt(node: SyntaxNode, s: State): State | null {
    const subject = node.childForFieldName('subject');
    const sv = subject ? this.expr(subject, s) : null;
    const body = node.childForFieldName('body');
    let out: State | null = copy(s);
    for (const c of body?.namedChildren ?? []) {
      if (c.type !== 'case_clause') continue;
      const st = copy(s);
      for (const p of c.namedChildren) {
        if (p.type === 'case_pattern') {
          for (const id of p.descendantsOfType('identifier')) st.env.set(id.text, sv);
        }
      }
      const blk = c.childForFieldName('consequence');
      out = joinStates(out, blk ? this.block(blk, st) : st);
    }
    return out;
  }

  // --- binding ------------------------------------------------------------------------------

  private bind(target: SyntaxNode, v: V, s: State, c: Const, rhs?: SyntaxNode): void {
    const t = unparen(target);
    switch (t.type) {
      case 'identifier': {
        s.env.set(t.text, withStep(v, step(t, `assigned to \`${t.text}\``)));
        s.consts.set(t.text, c);
        const origin = rhs ? this.urlOrigin(rhs) : null;
        if (origin) this.derivedFrom.set(t.text, origin);
        else this.derivedFrom.delete(t.text);
        return;
      }
      case 'as_pattern_target':
      case 'list_splat_pattern': {
        const inner = t.namedChildren[0];
        if (inner) this.bind(inner, v, s, undefined);
        return;
      }
      case 'pattern_list':
      case 'tuple_pattern':
      case 'list_pattern':
      case 'tuple':
      case 'list':
      case 'expression_list': {
        const targets = t.namedChildren.filter((x) => x.type !== 'comment');
        const r = rhs ? unparen(rhs) : null;
        const elems =
          r && ['tuple', 'list', 'expression_list'].includes(r.type) ? r.namedChildren.filter((x) => x.type !== 'comment') : null;
        targets.forEach((tg, i) => {
          const e = elems && elems.length === targets.length ? elems[i] : undefined;
          if (e) this.bind(tg, this.values.get(key(e)) ?? this.expr(e, s), s, this.constValue(e, s), e);
          else this.bind(tg, whole(v), s, undefined);
        });
        return;
      }
      case 'subscript': {
        // `d["k"] = v`, `items[i] = v`: the container now holds v.
        const obj = t.childForFieldName('value');
        const base = obj ? unparen(obj) : null;
        if (base?.type === 'identifier') {
          const cur = s.env.has(base.text) ? (s.env.get(base.text) ?? null) : this.expr(base, s);
          const k = t.childForFieldName('subscript');
          const ks = k ? this.constValue(k, s) : undefined;
          if (typeof ks === 'string' && (cur === null || cur.fields)) {
            const fields = new Map(cur?.fields ?? []);
            fields.set(ks, v);
            const merged: TVal = cur ? { ...cur, fields } : { src: null, params: 0, opaque: false, clean: ALL, steps: [], fields };
            s.env.set(base.text, merged);
          } else {
            s.env.set(base.text, join(whole(cur), v));
          }
          s.consts.set(base.text, undefined);
        } else if (obj) {
          this.expr(obj, s);
        }
        return;
      }
      case 'attribute': {
        const obj = t.childForFieldName('object');
        if (obj) this.expr(obj, s);
        return;
      }
      default:
        return;
    }
  }

  private assignment(node: SyntaxNode, s: State): V {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    if (!right) return null; // `x: int` declaration
    const v = this.expr(right, s);
    const c = this.constValue(right, s);
    if (left) this.bind(left, v, s, c, right.type === 'assignment' ? (right.childForFieldName('right') ?? right) : right);
    return v;
  }

  private augmented(node: SyntaxNode, s: State): V {
    const left = node.childForFieldName('left');
    const right = node.childForFieldName('right');
    const rv = right ? this.expr(right, s) : null;
    if (!left) return rv;
    const lv = this.expr(left, s);
    const op = node.childForFieldName('operator')?.text ?? '';
    const numeric = ['-=', '/=', '//=', '**=', '>>=', '<<='].includes(op);
    const v = numeric ? null : join(lv, rv);
    const l = unparen(left);
    if (l.type === 'identifier') {
      s.env.set(l.text, withStep(v, step(l, `appended to \`${l.text}\``)));
      s.consts.set(l.text, undefined);
    } else {
      this.bind(l, v, s, undefined);
    }
    return v;
  }

  // --- guards -------------------------------------------------------------------------------

  /** Refine the state for the branch where `cond` is `truth`. */
  private refine(cond: SyntaxNode, s: State, truth: boolean): State {
    const c = unparen(cond);
    if (c.type === 'not_operator') {
      const arg = c.childForFieldName('argument');
      return arg ? this.refine(arg, s, !truth) : s;
    }
    if (c.type === 'boolean_operator') {
      const op = c.childForFieldName('operator')?.text;
      const l = c.childForFieldName('left');
      const r = c.childForFieldName('right');
      // Both hold when `a and b` is true, or when `a or b` is false.
      if ((op === 'and' && truth) || (op === 'or' && !truth)) {
        let out = s;
        if (l) out = this.refine(l, out, truth);
        if (r) out = this.refine(r, out, truth);
        return out;
      }
      return s;
    }
    const facts = this.guardFacts(c);
    for (const f of facts) {
      if (f.when !== truth) continue;
      const names = [f.name];
      // A host check on something parsed from `url` constrains where `url` can point.
      for (let n = this.derivedFrom.get(f.name); n && names.length < 4; n = this.derivedFrom.get(n)) names.push(n);
      names.forEach((name, i) => {
        const cur = s.env.has(name) ? (s.env.get(name) ?? null) : undefined;
        if (cur === undefined) return;
        s.env.set(name, sanitize(cur, i === 0 ? f.mask : f.mask & (BIT.ssrf | BIT.redirect)));
      });
    }
    return s;
  }

  /** The URL variable a value is parsed or taken from: `urlparse(u)`, `urlsplit(u).netloc`, `p.hostname or ""`. */
  private urlOrigin(rhs: SyntaxNode): string | null {
    let n = unparen(rhs);
    if (n.type === 'boolean_operator' && n.childForFieldName('operator')?.text === 'or') {
      const l = n.childForFieldName('left');
      if (!l) return null;
      n = unparen(l);
    }
    if (n.type === 'attribute') {
      if (!/^(?:netloc|hostname|host)$/.test(n.childForFieldName('attribute')?.text ?? '')) return null;
      const o = n.childForFieldName('object');
      if (!o) return null;
      const u = unparen(o);
      if (u.type === 'identifier') return u.text;
      n = u;
    }
    if (n.type === 'call') {
      const q = this.ctx.calleeName(n);
      if (q && /^(?:urllib\.parse\.(?:urlparse|urlsplit)|urlparse\.urlparse|urlparse\.urlsplit)$/.test(q)) {
        const a = n.childForFieldName('arguments')?.namedChildren[0];
        return a?.type === 'identifier' ? a.text : null;
      }
    }
    return null;
  }

  /** Names a condition proves safe, for the branch where it is `when`. */
  private guardFacts(c: SyntaxNode): { name: string; mask: number; when: boolean }[] {
    if (c.type === 'comparison_operator') {
      const ops = c.children.filter((x) => !x.isNamed).map((x) => x.text);
      const operands = c.namedChildren.filter((x) => x.type !== 'comment');
      const [lhs, rhs] = operands;
      if (operands.length !== 2 || !lhs || !rhs) return [];
      const op = ops.join(' ');
      if (op === 'in' || op === 'not in') {
        if (!this.isFixedCollection(rhs)) return [];
        const t = this.guardedName(lhs);
        if (!t) return [];
        return [{ name: t.name, mask: t.mask, when: op === 'in' }];
      }
      if (op === '==' || op === '!=') {
        // `x == "literal"`: x is that literal in the true branch.
        const [name, other] = lhs.type === 'identifier' ? [lhs, rhs] : [rhs, lhs];
        if (name.type === 'identifier' && constOf(unparen(other)) !== undefined) {
          return [{ name: name.text, mask: ALL, when: op === '==' }];
        }
        // `os.path.commonpath([p, BASE]) == BASE`
        const call = unparen(lhs).type === 'call' ? unparen(lhs) : unparen(rhs).type === 'call' ? unparen(rhs) : null;
        if (call && this.ctx.calleeName(call) === 'os.path.commonpath') {
          const list = call.childForFieldName('arguments')?.namedChildren[0];
          const first = list?.namedChildren[0];
          if (first?.type === 'identifier') return [{ name: first.text, mask: BIT.path, when: op === '==' }];
        }
      }
      return [];
    }
    if (c.type === 'call') {
      const fn = c.childForFieldName('function');
      const args = c.childForFieldName('arguments')?.namedChildren.filter((x) => x.type !== 'comment') ?? [];
      const q = this.ctx.calleeName(c);
      if (q === 'isinstance') {
        const [x, t] = args;
        if (x?.type === 'identifier' && t && /^(?:int|float|bool|uuid\.UUID|UUID)$/.test(t.text)) {
          return [{ name: x.text, mask: ALL, when: true }];
        }
        return [];
      }
      if (q === 'django.utils.http.url_has_allowed_host_and_scheme' || q === 'django.utils.http.is_safe_url' || /(?:^|\.)is_safe_(?:url|redirect)/.test(fn?.text ?? '')) {
        const x = args[0];
        const name = x?.type === 'keyword_argument' ? x.childForFieldName('value') : x;
        if (name?.type === 'identifier') return [{ name: name.text, mask: BIT.redirect | BIT.ssrf, when: true }];
        return [];
      }
      if (q && /^re\.(?:fullmatch|match|search)$/.test(q)) {
        const [pattern, subject] = args;
        if (pattern && subject?.type === 'identifier' && this.anchoredPattern(pattern, q.endsWith('fullmatch'))) {
          return [{ name: subject.text, mask: ALL, when: true }];
        }
        return [];
      }
      if (fn?.type === 'attribute') {
        const method = fn.childForFieldName('attribute')?.text ?? '';
        const obj = fn.childForFieldName('object');
        if (!obj) return [];
        if (/^is(?:digit|decimal|numeric|alnum|alpha|identifier)$/.test(method)) {
          const t = this.guardedName(obj);
          return t ? [{ name: t.name, mask: method === 'isidentifier' || method === 'isalnum' || method === 'isalpha' ? ALL : ALL, when: true }] : [];
        }
        if ((method === 'fullmatch' || method === 'match') && args[0]?.type === 'identifier') {
          const compiled = this.ctx.valueOf(obj);
          if (compiled?.type === 'call' && this.ctx.calleeName(compiled) === 're.compile') {
            const p = compiled.childForFieldName('arguments')?.namedChildren[0];
            if (p && this.anchoredPattern(p, method === 'fullmatch')) return [{ name: args[0].text, mask: ALL, when: true }];
          }
          return [];
        }
        if (method === 'startswith' || method === 'is_relative_to') {
          const o = unparen(obj);
          if (o.type === 'identifier') {
            const v = this.values.get(key(o));
            if (v?.normalized) return [{ name: o.text, mask: BIT.path, when: true }];
          }
          if (o.type === 'call') {
            const inner = this.normalizedName(o);
            if (inner) return [{ name: inner, mask: BIT.path, when: true }];
          }
        }
      }
    }
    return [];
  }

  /** `os.path.realpath(p)` / `Path(p).resolve()` → `p`. */
  private normalizedName(call: SyntaxNode): string | null {
    const q = this.ctx.calleeName(call);
    if (q && NORMALIZERS.has(q)) {
      const a = call.childForFieldName('arguments')?.namedChildren[0];
      return a?.type === 'identifier' ? a.text : null;
    }
    return null;
  }

  private anchoredPattern(p: SyntaxNode, full: boolean): boolean {
    const s = stringValue(unparen(p));
    if (s === null) return false;
    if (!full && !(s.startsWith('^') || s.startsWith('\\A'))) return false;
    if (!full && !(s.endsWith('$') || s.endsWith('\\Z') || s.endsWith('\\z'))) return false;
    // An unescaped `.` accepts anything (`^.*$`): not a validation.
    return !/(?<!\\)\.(?![^[]*\])/.test(s);
  }

  /** `x`, `urlparse(x).netloc`, `x.lower()`: the name a membership test constrains. */
  private guardedName(n: SyntaxNode): { name: string; mask: number } | null {
    const u = unparen(n);
    if (u.type === 'identifier') return { name: u.text, mask: ALL };
    if (u.type === 'call') {
      const fn = u.childForFieldName('function');
      if (fn?.type === 'attribute' && /^(?:lower|upper|strip|casefold)$/.test(fn.childForFieldName('attribute')?.text ?? '')) {
        const o = fn.childForFieldName('object');
        return o ? this.guardedName(o) : null;
      }
      return null;
    }
    if (u.type === 'attribute') {
      const attr = u.childForFieldName('attribute')?.text ?? '';
      const obj = u.childForFieldName('object');
      if (!obj || !/^(?:netloc|hostname|host|scheme)$/.test(attr)) return null;
      const o = unparen(obj);
      if (o.type === 'call') {
        const q = this.ctx.calleeName(o);
        if (q && /^(?:urllib\.parse\.(?:urlparse|urlsplit)|urlparse\.urlparse)$/.test(q)) {
          const a = o.childForFieldName('arguments')?.namedChildren[0];
          if (a?.type === 'identifier') return { name: a.text, mask: BIT.ssrf | BIT.redirect };
        }
      }
      if (o.type === 'identifier') {
        // `parsed = urlparse(url); if parsed.netloc in ALLOWED` constrains `parsed`.
        return { name: o.text, mask: BIT.ssrf | BIT.redirect };
      }
    }
    return null;
  }

  /** A literal collection of constants, or a name bound once to one (an allow-list). */
  private isFixedCollection(n: SyntaxNode): boolean {
    const u = unparen(n);
    if (['list', 'tuple', 'set', 'dictionary'].includes(u.type)) {
      return u.namedChildren.every(
        (c) => c.type === 'comment' || constOf(unparen(c.type === 'pair' ? (c.childForFieldName('key') ?? c) : c)) !== undefined,
      );
    }
    if (u.type === 'string') return constOf(u) !== undefined;
    if (u.type === 'identifier' || u.type === 'attribute') {
      if (u.type === 'identifier') {
        const v = this.ctx.valueOf(u);
        if (v && v.id !== u.id) {
          const vv = unparen(v);
          if (vv.type === 'call') {
            const q = this.ctx.calleeName(vv);
            const a = vv.childForFieldName('arguments')?.namedChildren[0];
            return (q === 'frozenset' || q === 'set' || q === 'tuple' || q === 'list') && !!a && this.isFixedCollection(a);
          }
          return this.isFixedCollection(vv);
        }
      }
      // Configuration allow-lists: `ALLOWED_HOSTS`, `settings.ALLOWED_REDIRECTS`.
      const last = u.type === 'attribute' ? (u.childForFieldName('attribute')?.text ?? '') : u.text;
      return /^[A-Z][A-Z0-9_]*$/.test(last);
    }
    return false;
  }

  // --- constants ----------------------------------------------------------------------------

  constValue(node: SyntaxNode, s: State, depth = 0): Const {
    if (depth > 8) return undefined;
    const n = unparen(node);
    const lit = constOf(n);
    if (lit !== undefined || ['true', 'false', 'none'].includes(n.type)) return lit;
    switch (n.type) {
      case 'identifier': {
        if (s.consts.has(n.text)) return s.consts.get(n.text);
        if (s.env.has(n.text)) return undefined;
        const r = this.ctx.resolve(n);
        if (r.kind !== 'local') return undefined;
        const v = this.ctx.valueOf(n);
        if (!v || v.id === n.id) return undefined;
        // A module-level constant (`DEBUG = False`) bound exactly once.
        return constOf(unparen(v));
      }
      case 'not_operator': {
        const a = n.childForFieldName('argument');
        const t = a ? truthy(this.constValue(a, s, depth + 1)) : undefined;
        return t === undefined ? undefined : !t;
      }
      case 'boolean_operator': {
        const op = n.childForFieldName('operator')?.text;
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const lv = l ? this.constValue(l, s, depth + 1) : undefined;
        const lt = truthy(lv);
        if (lt === undefined) {
          // `x and False` is falsy whatever x is; `x or True` truthy.
          const rt = r ? truthy(this.constValue(r, s, depth + 1)) : undefined;
          if (op === 'and' && rt === false) return false;
          if (op === 'or' && rt === true) return true;
          return undefined;
        }
        if (op === 'and') return lt ? (r ? this.constValue(r, s, depth + 1) : undefined) : lv;
        return lt ? lv : r ? this.constValue(r, s, depth + 1) : undefined;
      }
      case 'comparison_operator': {
        const ops = n.children.filter((x) => !x.isNamed).map((x) => x.text);
        const operands = n.namedChildren;
        if (operands.length !== 2 || ops.length < 1) return undefined;
        const a = operands[0] ? this.constValue(operands[0], s, depth + 1) : undefined;
        const b = operands[1] ? this.constValue(operands[1], s, depth + 1) : undefined;
        const op = ops.join(' ');
        if (a === undefined || b === undefined) return undefined;
        switch (op) {
          case '==':
          case 'is':
            return a === b;
          case '!=':
          case 'is not':
            return a !== b;
          case '<':
            return a !== null && b !== null && a < b;
          case '>':
            return a !== null && b !== null && a > b;
          case '<=':
            return a !== null && b !== null && a <= b;
          case '>=':
            return a !== null && b !== null && a >= b;
          case 'in':
            return typeof a === 'string' && typeof b === 'string' ? b.includes(a) : undefined;
          case 'not in':
            return typeof a === 'string' && typeof b === 'string' ? !b.includes(a) : undefined;
          default:
            return undefined;
        }
      }
      case 'binary_operator': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        const a = l ? this.constValue(l, s, depth + 1) : undefined;
        const b = r ? this.constValue(r, s, depth + 1) : undefined;
        const op = n.childForFieldName('operator')?.text;
        if (typeof a === 'number' && typeof b === 'number') {
          switch (op) {
            case '+':
              return a + b;
            case '-':
              return a - b;
            case '*':
              return a * b;
            default:
              return undefined;
          }
        }
        if (typeof a === 'string' && typeof b === 'string' && op === '+') return a + b;
        return undefined;
      }
      default:
        return undefined;
    }
  }

  // --- expressions --------------------------------------------------------------------------

  private depth = 0;
  /** Some expressions were too deep to evaluate: a missing value then means unknown, not dead. */
  incomplete = false;

  expr(node: SyntaxNode, s: State): V {
    // Pathological nesting (thousands of parentheses): unknown rather than a stack overflow.
    if (this.depth > 150) {
      this.incomplete = true;
      return OPAQUE;
    }
    this.depth++;
    try {
      const v = this.eval(node, s);
      this.values.set(key(node), v);
      return v;
    } finally {
      this.depth--;
    }
  }

  private eval(node: SyntaxNode, s: State): V {
    switch (node.type) {
      case 'identifier':
        return this.name(node, s);
      case 'parenthesized_expression': {
        const inner = node.namedChildren.find((c) => c.type !== 'comment');
        return inner ? this.expr(inner, s) : null;
      }
      case 'string':
        return this.fstring(node, s);
      case 'concatenated_string': {
        let v: V = null;
        for (const c of node.namedChildren) v = join(v, this.expr(c, s));
        return v ? sanitize(v, this.prefixClean(node, s)) : v;
      }
      case 'integer':
      case 'float':
      case 'true':
      case 'false':
      case 'none':
      case 'ellipsis':
      case 'lambda':
      case 'comparison_operator':
      case 'not_operator':
        for (const c of node.type === 'comparison_operator' || node.type === 'not_operator' ? node.namedChildren : []) {
          this.expr(c, s);
        }
        return null;
      case 'unary_operator': {
        const a = node.childForFieldName('argument');
        if (a) this.expr(a, s);
        return null;
      }
      case 'binary_operator':
        return this.binary(node, s);
      case 'boolean_operator': {
        const l = node.childForFieldName('left');
        const r = node.childForFieldName('right');
        return join(l ? this.expr(l, s) : null, r ? this.expr(r, s) : null);
      }
      case 'conditional_expression': {
        const [a, cond, b] = node.namedChildren.filter((c) => c.type !== 'comment');
        if (!a || !cond || !b) return null;
        this.expr(cond, s);
        const t = truthy(this.constValue(cond, s));
        if (t === true) return this.expr(a, this.refine(cond, copy(s), true));
        if (t === false) return this.expr(b, this.refine(cond, copy(s), false));
        return join(this.expr(a, this.refine(cond, copy(s), true)), this.expr(b, this.refine(cond, copy(s), false)));
      }
      case 'assignment':
        return this.assignment(node, s);
      case 'augmented_assignment':
        return this.augmented(node, s);
      case 'named_expression': {
        const name = node.childForFieldName('name');
        const value = node.childForFieldName('value');
        const v = value ? this.expr(value, s) : null;
        if (name) this.bind(name, v, s, value ? this.constValue(value, s) : undefined);
        return v;
      }
      case 'tuple':
      case 'list':
      case 'set':
      case 'expression_list': {
        let v: V = null;
        for (const c of node.namedChildren) if (c.type !== 'comment') v = join(v, whole(this.expr(c, s)));
        return v;
      }
      case 'dictionary':
        return this.dict(node, s);
      case 'pair': {
        const k = node.childForFieldName('key');
        const val = node.childForFieldName('value');
        return join(k ? this.expr(k, s) : null, val ? this.expr(val, s) : null);
      }
      case 'list_comprehension':
      case 'set_comprehension':
      case 'generator_expression':
      case 'dictionary_comprehension':
        return this.comprehension(node, s);
      case 'subscript':
        return this.subscript(node, s);
      case 'slice': {
        for (const c of node.namedChildren) this.expr(c, s);
        return null;
      }
      case 'attribute':
        return this.attribute(node, s);
      case 'call':
        return this.call(node, s);
      case 'await':
      case 'list_splat':
      case 'dictionary_splat':
      case 'keyword_argument':
      case 'parenthesized_list_splat': {
        const inner = node.type === 'keyword_argument' ? node.childForFieldName('value') : node.namedChildren[0];
        return inner ? this.expr(inner, s) : null;
      }
      case 'interpolation': {
        const e = node.childForFieldName('expression');
        return e ? this.expr(e, s) : null;
      }
      case 'yield':
        for (const c of node.namedChildren) this.expr(c, s);
        return OPAQUE;
      default:
        return null;
    }
  }

  private name(node: SyntaxNode, s: State): V {
    const name = node.text;
    if (s.env.has(name)) return s.env.get(name) ?? null;
    const r = this.ctx.resolve(node);
    if (r.kind === 'import' || r.kind === 'builtin') {
      const q = r.qualified;
      if (this.file.settings.sources.includes(q)) return this.source(node, q);
      if (q === 'sys.argv') return this.source(node, 'sys.argv');
      if (this.file.settings.environment && q === 'os.environ') return this.source(node, 'os.environ');
      return null;
    }
    if (r.kind === 'local') {
      if (r.scope.kind === 'module' && !this.isModule) return this.global(node);
      if (r.scope.kind === 'function' && r.scope.node.id !== this.fn.id) return OPAQUE; // closure variable
      if (r.scope.kind === 'class') return OPAQUE;
      // Bound later in this function (a loop) or only in a branch not taken: unknown here.
      return null;
    }
    return OPAQUE;
  }

  /** A module-level name read from inside a function. */
  private global(node: SyntaxNode): V {
    const v = this.ctx.valueOf(node);
    if (v && v.id !== node.id) {
      const vv = unparen(v);
      if (constOf(vv) !== undefined || ['true', 'false', 'none', 'integer', 'float'].includes(vv.type)) return null;
      if (vv.type === 'call' || vv.type === 'lambda') {
        // `app = Flask(__name__)`, `log = logging.getLogger()`: objects, not data.
        const q = this.ctx.calleeName(vv);
        if (q && !Object.hasOwn(SOURCE_CALLS, q) && !this.file.settings.sources.includes(q)) return null;
      }
      if (['list', 'tuple', 'set', 'dictionary'].includes(vv.type) && this.isFixedCollection(vv)) return null;
    }
    const env = moduleEnv(this.ctx, this.file);
    if (env?.has(node.text)) {
      const mv = env.get(node.text) ?? null;
      // Module code can only taint a global through a real source: parameters do not exist there.
      return mv?.src ? mv : mv ? OPAQUE : null;
    }
    return OPAQUE;
  }

  private source(node: SyntaxNode, label: string): TVal {
    return { src: { label, step: step(node, `${label}: attacker-controlled input`) }, params: 0, opaque: false, clean: 0, steps: [] };
  }

  private fstring(node: SyntaxNode, s: State): V {
    let v: V = null;
    for (const c of node.namedChildren) {
      if (c.type === 'interpolation') {
        const e = c.childForFieldName('expression');
        if (e) v = join(v, whole(this.expr(e, s)));
        for (const spec of c.namedChildren) if (spec.type === 'format_specifier') this.expr(spec, s);
      }
    }
    return v ? sanitize(v, this.prefixClean(node, s)) : v;
  }

  /**
   * A string whose literal start fixes the scheme and host (`f"https://api.example.com/{x}"`)
   * cannot be pointed at another server (SSRF) or redirect elsewhere; one starting with a single
   * `/` stays on this site.
   */
  private prefixClean(node: SyntaxNode, s: State): number {
    const { text } = this.prefixText(node, s, 0);
    if (/^[a-z][a-z0-9+.-]*:\/\/[^/?#{}\0]+[/?#]/i.test(text)) return BIT.ssrf | BIT.redirect;
    if (/^\/(?![/\\])./.test(text)) return BIT.ssrf | BIT.redirect;
    // `f"{API_BASE}/items/{id}"`: a trusted base (a constant, configuration) then a path.
    if (/^\0+\/[^/\\\0]/.test(text)) return BIT.ssrf | BIT.redirect;
    return 0;
  }

  /**
   * The text a built string starts with, up to its first attacker-controlled part. Trusted
   * parts whose text is not known (configuration values) are written as NUL characters.
   */
  private prefixText(node: SyntaxNode, s: State, depth: number): { text: string; complete: boolean } {
    if (depth > 6) return { text: '', complete: false };
    const n = unparen(node);
    const trusted = (e: SyntaxNode): { text: string; complete: boolean } => {
      const v = this.values.get(key(e));
      if (v && (v.src || v.params)) return { text: '', complete: false };
      const c = this.constValue(e, s);
      return { text: typeof c === 'string' ? c : typeof c === 'number' ? String(c) : '\0', complete: true };
    };
    switch (n.type) {
      case 'string': {
        let out = '';
        for (const c of n.namedChildren) {
          if (c.type === 'string_content' || c.type === 'escape_sequence') out += c.text;
          else if (c.type === 'interpolation') {
            const e = c.childForFieldName('expression');
            if (!e) return { text: out, complete: false };
            const t = trusted(e);
            if (!t.complete) return { text: out, complete: false };
            out += t.text;
          }
        }
        return { text: out, complete: true };
      }
      case 'concatenated_string': {
        let out = '';
        for (const c of n.namedChildren) {
          const p = this.prefixText(c, s, depth + 1);
          out += p.text;
          if (!p.complete) return { text: out, complete: false };
        }
        return { text: out, complete: true };
      }
      case 'binary_operator': {
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if (n.childForFieldName('operator')?.text !== '+' || !l) return trusted(n);
        const lp = this.prefixText(l, s, depth + 1);
        if (!lp.complete || !r) return lp;
        const rp = this.prefixText(r, s, depth + 1);
        return { text: lp.text + rp.text, complete: rp.complete };
      }
      case 'call': {
        const fn = n.childForFieldName('function');
        if (fn?.type === 'attribute' && fn.childForFieldName('attribute')?.text === 'format') {
          const o = fn.childForFieldName('object');
          const t = o ? this.constValue(o, s) : undefined;
          return { text: typeof t === 'string' ? (t.split('{')[0] ?? '') : '', complete: false };
        }
        return trusted(n);
      }
      default:
        return trusted(n);
    }
  }

  private binary(node: SyntaxNode, s: State): V {
    const l = node.childForFieldName('left');
    const r = node.childForFieldName('right');
    const lv = l ? whole(this.expr(l, s)) : null;
    const rv = r ? whole(this.expr(r, s)) : null;
    const op = node.childForFieldName('operator')?.text ?? '';
    // `/` joins paths (`Path(base) / name`); the rest only produce numbers.
    if (['-', '//', '**', '<<', '>>'].includes(op)) return null;
    const v = join(lv, rv);
    if (!v) return v;
    if (op === '+' || op === '%') {
      let mask = l ? this.prefixClean(l, s) : 0;
      if (op === '%' && l) {
        const t = this.constValue(l, s);
        if (typeof t === 'string' && /^[^%]*%[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgG]/.test(t) && !/%[-#0 +]*\d*(?:\.\d+)?[sr]/.test(t)) {
          mask = ALL; // only numeric conversions
        }
      }
      return sanitize(v, mask);
    }
    return v;
  }

  private dict(node: SyntaxNode, s: State): V {
    const fields = new Map<string, V>();
    let v: V = null;
    let exact = true;
    for (const c of node.namedChildren) {
      if (c.type === 'pair') {
        const k = c.childForFieldName('key');
        const val = c.childForFieldName('value');
        const kv = k ? this.expr(k, s) : null;
        const vv = val ? this.expr(val, s) : null;
        const kc = k ? this.constValue(k, s) : undefined;
        if (typeof kc === 'string') fields.set(kc, vv);
        else exact = false;
        v = join(v, join(kv, whole(vv)));
      } else if (c.type !== 'comment') {
        exact = false;
        v = join(v, whole(this.expr(c, s)));
      }
    }
    if (exact && fields.size > 0) {
      return { ...(v ?? { src: null, params: 0, opaque: false, clean: ALL, steps: [] }), fields };
    }
    return v;
  }

  private comprehension(node: SyntaxNode, s: State): V {
    const inner = copy(s);
    for (const c of node.namedChildren) {
      if (c.type === 'for_in_clause') {
        const left = c.childForFieldName('left');
        const right = c.childForFieldName('right');
        const v = right ? this.element(this.expr(right, inner)) : null;
        if (left) this.bind(left, v, inner, undefined);
      }
    }
    let out: V = null;
    for (const c of node.namedChildren) {
      if (c.type === 'if_clause') {
        const cond = c.namedChildren[0];
        if (cond) {
          this.expr(cond, inner);
          this.refine(cond, inner, true);
        }
      }
    }
    const body = node.childForFieldName('body');
    if (body) out = whole(this.expr(body, inner));
    return out;
  }

  private subscript(node: SyntaxNode, s: State): V {
    const value = node.childForFieldName('value');
    const v = value ? this.expr(value, s) : null;
    let keyConst: Const = undefined;
    for (const k of node.childrenForFieldName('subscript')) {
      this.expr(k, s);
      keyConst = this.constValue(k, s);
    }
    if (v?.fields && typeof keyConst === 'string') {
      return v.fields.has(keyConst) ? (v.fields.get(keyConst) ?? null) : whole(v);
    }
    return whole(v);
  }

  private attribute(node: SyntaxNode, s: State): V {
    const obj = node.childForFieldName('object');
    const attr = node.childForFieldName('attribute')?.text ?? '';
    if (!obj) return null;
    const o = unparen(obj);
    const q = this.ctx.qualifiedName(node);
    if (q) {
      if (this.file.settings.sources.includes(q)) return this.source(node, q);
      if (q === 'sys.argv') return this.source(node, 'sys.argv');
      if (q === 'os.environ') return this.file.settings.environment ? this.source(node, 'os.environ') : OPAQUE;
    }
    if (REQUEST_DATA.has(attr) && this.isRequest(o, s)) {
      return this.source(node, `${o.text}.${attr}`);
    }
    const ov = this.expr(obj, s);
    if (o.type === 'identifier' && (o.text === 'self' || o.text === 'cls')) return OPAQUE;
    if (!ov) {
      // A module attribute (`settings.SECRET`), an object's field: not attacker data as far as
      // we can see, but not known either when the object is a local value.
      return null;
    }
    // `Path(p).name` / `.stem` / `.suffix`: the last component only, like basename.
    if (attr === 'name' || attr === 'stem' || attr === 'suffix') return sanitize(whole(ov), BIT.path);
    if (/^(?:netloc|hostname|host|port|scheme)$/.test(attr)) return ov;
    return whole(ov);
  }

  private isRequest(o: SyntaxNode, s: State): boolean {
    if (o.type === 'identifier' && s.env.has(o.text) && !this.params.includes(o.text)) return false;
    if (o.type === 'identifier' && this.handlerParams.get(o.text) === 'request') return true;
    if (isRequestObject(this.ctx, o)) return true;
    // `self.request` in class-based views.
    if (o.type === 'attribute' && o.childForFieldName('attribute')?.text === 'request') {
      const base = o.childForFieldName('object');
      return base?.text === 'self' && importsWebFramework(this.ctx);
    }
    return false;
  }

  private call(node: SyntaxNode, s: State): V {
    const fn = node.childForFieldName('function');
    const argsNode = node.childForFieldName('arguments');
    // `f(x for x in y)`: the generator itself is the only argument.
    const args = !argsNode
      ? []
      : argsNode.type === 'generator_expression'
        ? [argsNode]
        : argsNode.namedChildren.filter((c) => c.type !== 'comment');
    const q = this.ctx.calleeName(node);
    const settings = this.file.settings;

    // Evaluate the receiver first (method calls), then the arguments.
    let recv: V = null;
    let method = '';
    let recvNode: SyntaxNode | null = null;
    if (fn?.type === 'attribute') {
      method = fn.childForFieldName('attribute')?.text ?? '';
      recvNode = fn.childForFieldName('object');
    }
    const requestMethod = recvNode !== null && REQUEST_METHODS.has(method) && this.isRequest(unparen(recvNode), s);
    if (recvNode && !requestMethod) recv = this.expr(recvNode, s);
    const argVals = args.map((a) => this.expr(a, s));
    const argsJoined = argVals.reduce<V>((acc, v) => join(acc, whole(v)), null);

    if (requestMethod && recvNode) return this.source(node, `${recvNode.text}.${method}()`);
    if (recvNode?.text === 'self' && TORNADO_METHODS.has(method) && moduleImports(this.ctx, ['tornado'])) {
      return this.source(node, `self.${method}()`);
    }
    if (q) {
      if (settings.sources.includes(q)) return this.source(node, `${q}()`);
      const label = Object.hasOwn(SOURCE_CALLS, q) ? SOURCE_CALLS[q] : undefined;
      if (label) return this.source(node, label);
      if (settings.environment && (q === 'os.getenv' || q === 'os.environ.get')) return this.source(node, q);
      const custom = settings.sanitizers.get(q);
      if (custom) return custom.length === 0 ? null : sanitize(argsJoined, bits(custom));
      if (NEUTRALIZING.has(q)) return null;
      // A file's content is not known; the path's taint is path-traversal's business, not the data's.
      if (FILE_OPENERS.has(q) || PROCESS_RUNNERS.has(q)) return OPAQUE;
      const mask = Object.hasOwn(SANITIZERS, q) ? SANITIZERS[q] : undefined;
      if (mask !== undefined) return sanitize(argsJoined, mask);
      if (NORMALIZERS.has(q)) return argsJoined ? { ...argsJoined, normalized: true, fields: undefined } : null;
      if (q === 'repr') return sanitize(argsJoined, BIT.log | BIT.header);
      if (LOOKUPS.has(q)) return OPAQUE;
      if (q === 'str' || q === 'format' || q === 'bytes' || q === 'list' || q === 'tuple' || q === 'sorted' || q === 'set' || q === 'dict' || q === 'reversed' || q === 'iter' || q === 'next' || q === 'min' || q === 'max' || q === 'sum') {
        return argsJoined;
      }
    }
    if (method && recvNode) {
      if (SOCKET_METHODS.has(method) && this.usesSockets()) return this.source(node, `${recvNode.text}.${method}()`);
      // `Path(p).read_text()`: the file's content, not the path's data (as for `open()`).
      if (method === 'read_text' || method === 'read_bytes') return OPAQUE;
      if ((method === 'read' || method === 'readline') && /(?:^|\.)rfile$/.test(recvNode.text)) {
        return this.source(node, `${recvNode.text}.${method}()`);
      }
      return this.methodCall(node, method, recvNode, recv, args, argVals, argsJoined, s);
    }
    if (fn?.type === 'identifier') {
      const local = this.localFunction(fn);
      if (local) return this.applySummary(local, node, args, argVals, s);
      if (q === null && this.ctx.resolve(fn).kind === 'local') {
        // A local value being called (a callback): unknown.
        return join(OPAQUE, argsJoined);
      }
    }
    if (q !== null) {
      const pkg = q.split('.')[0] ?? '';
      // Classes and functions of the standard library and third parties: their result carries
      // their arguments (`os.path.join(BASE, name)`, `json.loads(body)`, `urlparse(url)`).
      if (argsJoined) return argsJoined;
      return pkg ? OPAQUE : null;
    }
    return join(OPAQUE, argsJoined);
  }

  private usesSockets(): boolean {
    return this.ctx.allScopes().some((sc) =>
      [...sc.imports.values()].some((m) => m === 'socket' || m.startsWith('socket.') || m === 'socketserver' || m.startsWith('socketserver.')),
    );
  }

  private methodCall(
    node: SyntaxNode,
    method: string,
    recvNode: SyntaxNode,
    recv: V,
    args: SyntaxNode[],
    argVals: V[],
    argsJoined: V,
    s: State,
  ): V {
    const r = unparen(recvNode);
    // Mutating container methods: the container now holds the argument.
    if (/^(?:append|extend|insert|add|update|setdefault|appendleft|put|write)$/.test(method) && r.type === 'identifier') {
      if (s.env.has(r.text) || this.ctx.resolve(r).kind === 'local') {
        const cur = s.env.get(r.text) ?? null;
        const added = method === 'setdefault' || method === 'insert' ? whole(argVals[argVals.length - 1] ?? null) : argsJoined;
        if (added) {
          s.env.set(r.text, withStep(join(whole(cur), added), step(node, `added to \`${r.text}\``)));
          s.consts.set(r.text, undefined);
        }
      }
      return null;
    }
    // Predicates and counts: a boolean or a number.
    if (/^(?:startswith|endswith|is\w+|count|find|rfind|index|rindex|__contains__|__len__|exists|is_file|is_dir|match|fullmatch|search)$/.test(method)) {
      if (method === 'match' || method === 'fullmatch' || method === 'search') return recv ?? argsJoined;
      return null;
    }
    if (method === 'hexdigest' || method === 'digest') return null;
    if (DB_RESULT_METHODS.has(method) && !(method === 'find' && recv?.src)) return OPAQUE;
    if (method === 'replace') {
      const first = args[0] ? stringValue(unparen(args[0])) : null;
      if (first !== null && /[\r\n]|\\[rn]/.test(first)) return sanitize(join(recv, argVals[1] ?? null), BIT.log | BIT.header);
      return join(recv, argVals[1] ?? null);
    }
    if (method === 'resolve' || method === 'absolute') return recv ? { ...recv, normalized: true, fields: undefined } : null;
    if (method === 'get' || method === 'pop' || method === 'getlist' || method === 'getone' || method === 'getall') {
      const k = args[0] ? this.constValue(args[0], s) : undefined;
      const def = argVals[1] ?? null;
      if (recv?.fields && typeof k === 'string') {
        return join(recv.fields.has(k) ? (recv.fields.get(k) ?? null) : whole(recv), def);
      }
      return join(whole(recv), def);
    }
    if (method === 'join') {
      // `", ".join(parts)`, `os.path.join` handled by name; `sep.join(items)`.
      return join(recv, argsJoined);
    }
    if (method === 'format' || method === 'format_map') {
      const v = join(recv, argsJoined);
      return v ? sanitize(v, this.prefixClean(node, s)) : v;
    }
    if (recv === null && argsJoined === null) {
      // A method of a module-level object or an unknown object with constant arguments.
      if (r.type === 'identifier' && this.ctx.resolve(r).kind === 'import') return OPAQUE;
      return recvNode.type === 'identifier' && s.env.has(recvNode.text) ? null : OPAQUE;
    }
    // Same-class helper: `self.helper(x)`.
    if (r.type === 'identifier' && r.text === 'self') {
      const m = this.methodOfClass(method);
      if (m) return this.applySummary(m, node, args, argVals, s, 1);
      return join(OPAQUE, argsJoined);
    }
    // A method of this module's class called on an instance (`d = Directory(); d.find(x)`).
    const m = instanceMethod(this.ctx, r, method);
    if (m) return this.applySummary(m, node, args, argVals, s, 1);
    // String and container methods carry their receiver; unknown methods also their arguments.
    return join(recv, argsJoined);
  }

  /** A function defined in this module (or enclosing function) that `fn` names. */
  private localFunction(fn: SyntaxNode): SyntaxNode | null {
    const r = this.ctx.resolve(fn);
    if (r.kind !== 'local') return null;
    return findDef(r.scope.node, fn.text);
  }

  private methodOfClass(name: string): SyntaxNode | null {
    for (let n = this.fn.parent; n; n = n.parent) {
      if (n.type === 'class_definition') {
        const body = n.childForFieldName('body');
        return body ? findDef(body, name) : null;
      }
      if (n.type === 'function_definition' || n.type === 'module') return null;
    }
    return null;
  }

  private applySummary(def: SyntaxNode, call: SyntaxNode, args: SyntaxNode[], argVals: V[], s: State, offset = 0): V {
    void s;
    const a = analyze(this.ctx, this.file, def);
    if (!a) return join(OPAQUE, argVals.reduce<V>((acc, v) => join(acc, whole(v)), null));
    const ret = a.returns;
    if (!ret) return null;
    let out: V = ret.src || ret.opaque ? { ...ret, params: 0, fields: undefined } : null;
    if (ret.params) {
      const bound = bindArguments(a.params, args, argVals, offset);
      a.params.forEach((p, i) => {
        if (!(ret.params & (1 << i))) return;
        const v = bound.get(p);
        if (v === undefined) return;
        out = join(out, withStep(whole(v), step(call, `passed through \`${def.childForFieldName('name')?.text ?? '?'}()\``)));
      });
      if (bound.has('*')) out = join(out, bound.get('*') ?? null);
    }
    return sanitize(out, ret.clean);
  }
}

/**
 * The functions a scope body defines, by name, built once per body: summaries, instance
 * methods and call-site tracing ask for definitions on every call they look at.
 */
const defsByBody = new WeakMap<object, Map<number, Map<string, SyntaxNode | null>>>();

function findDef(scopeNode: SyntaxNode, name: string): SyntaxNode | null {
  const body = scopeNode.type === 'function_definition' ? scopeNode.childForFieldName('body') : scopeNode;
  if (!body) return null;
  let perTree = defsByBody.get(body.tree);
  if (!perTree) defsByBody.set(body.tree, (perTree = new Map()));
  // A body is a `module` or a `block`; the two never start at the same offset.
  let defs = perTree.get(body.startIndex);
  if (!defs) {
    defs = new Map();
    for (const c of body.namedChildren) {
      const def = c.type === 'decorated_definition' ? c.childForFieldName('definition') : c;
      if (def?.type !== 'function_definition') continue;
      const n = def.childForFieldName('name')?.text;
      // Redefinitions (`if PY2: def f...` else `def f...`) are ambiguous: no summary.
      if (n !== undefined) defs.set(n, defs.has(n) ? null : def);
    }
    perTree.set(body.startIndex, defs);
  }
  return defs.get(name) ?? null;
}

/** The module's top-level classes, once per tree. */
const classesByTree = new WeakMap<object, SyntaxNode[]>();

function topLevelClasses(root: SyntaxNode): SyntaxNode[] {
  let out = classesByTree.get(root.tree);
  if (!out) {
    out = [];
    for (const c of root.namedChildren) {
      const cls = c.type === 'decorated_definition' ? c.childForFieldName('definition') : c;
      if (cls?.type === 'class_definition') out.push(cls);
    }
    classesByTree.set(root.tree, out);
  }
  return out;
}

/**
 * Argument values by parameter name (as `parameterNames` spells them: `*args`, `**kwargs`).
 * Extra positionals go to `*args`, unknown keywords to `**kwargs`, splats to `*`.
 */
function bindArguments(params: string[], args: SyntaxNode[], vals: V[], offset: number): Map<string, V> {
  const out = new Map<string, V>();
  const star = params.find((p) => p.startsWith('*') && !p.startsWith('**'));
  const starStar = params.find((p) => p.startsWith('**'));
  const add = (key: string, v: V): void => void out.set(key, join(out.get(key) ?? null, whole(v)));
  let pos = offset;
  args.forEach((a, i) => {
    const v = vals[i] ?? null;
    if (a.type === 'keyword_argument') {
      const name = a.childForFieldName('name')?.text;
      if (!name) return;
      if (params.includes(name)) out.set(name, v);
      else if (starStar) add(starStar, v);
    } else if (a.type === 'list_splat' || a.type === 'dictionary_splat') {
      add('*', v);
    } else {
      const p = params[pos];
      if (p && !p.startsWith('*')) {
        out.set(p, v);
        pos++;
      } else if (star) {
        add(star, v);
      }
    }
  });
  return out;
}

function copy(s: State): State {
  // Not `new Map(s.env)`: the constructor goes through the iterator protocol, one entry
  // array per name, and this runs at every branch.
  const env: Env = new Map();
  s.env.forEach((v, k) => env.set(k, v));
  const consts: Consts = new Map();
  s.consts.forEach((c, k) => consts.set(k, c));
  return { env, consts };
}

function joinStates(a: State | null, b: State | null): State | null {
  if (!a) return b ? copy(b) : null;
  if (!b) return a;
  // a's names in order, then b's others (no key arrays or sets: this runs at every branch).
  const env: Env = new Map();
  for (const [k, value] of a.env) {
    const av = value ?? null;
    const bv = b.env.has(k) ? (b.env.get(k) ?? null) : null;
    env.set(k, av === bv ? av : joinFields(av, bv));
  }
  for (const [k, value] of b.env) {
    if (a.env.has(k)) continue;
    const bv = value ?? null;
    env.set(k, bv === null ? null : joinFields(null, bv));
  }
  const consts: Consts = new Map();
  for (const [k, ac] of a.consts) consts.set(k, b.consts.has(k) && ac === b.consts.get(k) ? ac : undefined);
  for (const k of b.consts.keys()) if (!a.consts.has(k)) consts.set(k, undefined);
  return { env, consts };
}

function joinFields(a: V, b: V): V {
  if (a?.fields && b?.fields) {
    const fields = new Map<string, V>();
    for (const k of new Set([...a.fields.keys(), ...b.fields.keys()])) {
      fields.set(k, join(a.fields.get(k) ?? null, b.fields.get(k) ?? null));
    }
    const base = join({ ...a, fields: undefined }, { ...b, fields: undefined });
    return base ? { ...base, fields } : { src: null, params: 0, opaque: false, clean: ALL, steps: [], fields };
  }
  return join(whole(a), whole(b));
}

// ---------------------------------------------------------------------------------------------
// Handlers: which parameters of a function are request data

const SAFE_ANNOTATIONS = /^(?:int|float|bool|UUID|uuid\.UUID|datetime|date|time|Decimal|PositiveInt|conint\b.*|EmailStr|HttpUrl|Literal\[.*\]|IntEnum|.*Enum)$/;
const FRAMEWORK_OBJECTS = /^(?:Request|HttpRequest|WSGIRequest|Session|AsyncSession|BackgroundTasks|Response|WebSocket|HTTPConnection|Depends|Security|SessionDep|.*Service|.*Repository|Optional\[(?:Session|Request)\])$/;

interface HandlerInfo {
  sources: Map<string, string>;
  safe: Set<string>;
}

function paramInfo(p: SyntaxNode): { name: string; annotation: string | null; defaultText: string | null } | null {
  switch (p.type) {
    case 'identifier':
      return { name: p.text, annotation: null, defaultText: null };
    case 'typed_parameter': {
      const id = p.namedChildren.find((c) => c.type === 'identifier');
      return id ? { name: id.text, annotation: p.childForFieldName('type')?.text ?? null, defaultText: null } : null;
    }
    case 'default_parameter':
    case 'typed_default_parameter': {
      const name = p.childForFieldName('name')?.text;
      return name
        ? { name, annotation: p.childForFieldName('type')?.text ?? null, defaultText: p.childForFieldName('value')?.text ?? null }
        : null;
    }
    default:
      return null;
  }
}

export function parameterNames(def: SyntaxNode): string[] {
  const ps = def.childForFieldName('parameters');
  if (!ps) return [];
  const out: string[] = [];
  for (const p of ps.namedChildren) {
    const info = paramInfo(p);
    if (info) out.push(info.name);
    else if (p.type === 'list_splat_pattern') out.push(`*${p.namedChildren[0]?.text ?? ''}`);
    else if (p.type === 'dictionary_splat_pattern') out.push(`**${p.namedChildren[0]?.text ?? ''}`);
  }
  return out;
}

const ROUTE_METHODS = /^(?:route|get|post|put|patch|delete|head|options|api_route|websocket|view|add_url_rule)$/;

function handlerInfo(ctx: RuleContext, def: SyntaxNode): HandlerInfo | null {
  if (!importsWebFramework(ctx)) return null;
  const ps = def.childForFieldName('parameters');
  if (!ps) return null;
  const params = ps.namedChildren.map(paramInfo).filter((x): x is NonNullable<typeof x> => x !== null);
  const sources = new Map<string, string>();
  const safe = new Set<string>();
  for (const dec of decoratorsOf(def)) {
    const e = decoratorExpression(dec);
    const call = e?.type === 'call' ? e : null;
    const fn = call?.childForFieldName('function');
    if (!call || fn?.type !== 'attribute') continue;
    const method = fn.childForFieldName('attribute')?.text ?? '';
    if (!ROUTE_METHODS.test(method)) continue;
    const pathArg = call.childForFieldName('arguments')?.namedChildren[0];
    const path = pathArg ? stringValue(unparen(pathArg)) : null;
    const isFastApi = moduleImports(ctx, ['fastapi', 'starlette', 'litestar']);
    if (path !== null && /<[^>]+>/.test(path)) {
      // Flask/Werkzeug converters: `<int:id>` is a number, `<name>`/`<path:p>` text.
      for (const m of path.matchAll(/<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>/g)) {
        const conv = m[1] ?? 'string';
        const name = m[2] ?? '';
        if (/^(?:int|float|uuid)$/.test(conv)) safe.add(name);
        else sources.set(name, `route parameter \`${name}\``);
      }
    }
    if (isFastApi || (path !== null && /\{[^}]+\}/.test(path))) {
      for (const p of params) {
        if (p.name === 'self' || p.name === 'cls') continue;
        const ann = p.annotation?.replace(/\s+/g, '') ?? null;
        const ann0 = ann?.replace(/^(?:Optional\[|Annotated\[)(.*?)(?:,.*)?\]$/, '$1') ?? null;
        if (p.defaultText && /^(?:Depends|Security)\(/.test(p.defaultText)) continue;
        if (ann && /Depends\(|Security\(/.test(ann)) continue;
        if (ann0 && (/^(?:Request|HTTPConnection)$/.test(ann0))) {
          sources.set(p.name, 'request');
          continue;
        }
        if (ann0 && FRAMEWORK_OBJECTS.test(ann0)) continue;
        if (ann0 && (SAFE_ANNOTATIONS.test(ann0) || isModuleEnum(ctx, ann0))) {
          safe.add(p.name);
          continue;
        }
        if (!sources.has(p.name) && !safe.has(p.name)) sources.set(p.name, `request parameter \`${p.name}\``);
      }
    }
  }
  if (sources.size > 0 || safe.size > 0) return { sources, safe };
  // Django function views: `def view(request, slug)`; class-based: `def get(self, request, pk)`.
  if (moduleImports(ctx, ['django', 'rest_framework'])) {
    const names = params.map((p) => p.name);
    const idx = names[0] === 'request' ? 0 : names[0] === 'self' && names[1] === 'request' ? 1 : -1;
    if (idx >= 0) {
      for (const p of params.slice(idx + 1)) {
        if (p.defaultText !== null && p.defaultText !== 'None') continue;
        const ann = p.annotation;
        if (ann && (SAFE_ANNOTATIONS.test(ann) || isModuleEnum(ctx, ann))) safe.add(p.name);
        else sources.set(p.name, `URL parameter \`${p.name}\``);
      }
      return { sources, safe };
    }
  }
  return null;
}

/**
 * `class Color(str, Enum)` in this module: a parameter annotated with it only takes one of the
 * members' values (FastAPI answers 422 to anything else), like the `*Enum` names above.
 */
function isModuleEnum(ctx: RuleContext, annotation: string): boolean {
  if (!/^[A-Za-z_]\w*$/.test(annotation)) return false;
  const cls = topLevelClasses(ctx.root).find((c) => c.childForFieldName('name')?.text === annotation);
  const bases = cls?.childForFieldName('superclasses')?.text ?? '';
  return /\b(?:Enum|IntEnum|StrEnum|Flag|IntFlag)\b/.test(bases);
}

function moduleImports(ctx: RuleContext, pkgs: string[]): boolean {
  return ctx.allScopes().some((sc) =>
    [...sc.imports.values()].some((m) => pkgs.some((p) => m === p || m.startsWith(`${p}.`))),
  );
}

// ---------------------------------------------------------------------------------------------
// Entry points

function analyze(ctx: RuleContext, file: FileTaint, fn: SyntaxNode): FunctionAnalysis | null {
  const id = fn.startIndex;
  const cached = file.analyses.get(id);
  if (cached === 'pending') return null; // recursion
  if (cached) return cached;
  file.analyses.set(id, 'pending');
  const params = fn.type === 'function_definition' ? parameterNames(fn) : [];
  const interp = new Interpreter(ctx, file, fn, params);
  const h = fn.type === 'function_definition' ? handlerInfo(ctx, fn) : null;
  try {
    interp.run(h?.sources ?? new Map(), h?.safe ?? new Set());
  } catch (err) {
    // Deeply nested statements can exhaust the stack: give up on this function (callers
    // then treat its values as unknown and its code as reachable) rather than fail the rule.
    if (!(err instanceof RangeError)) {
      file.analyses.delete(id);
      throw err;
    }
    file.analyses.set(id, 'pending');
    return null;
  }
  const a: FunctionAnalysis = {
    node: fn,
    params,
    values: interp.values,
    returns: interp.returns,
    handler: h !== null,
    dead: interp.dead,
    incomplete: interp.incomplete,
  };
  file.analyses.set(id, a);
  return a;
}

function moduleEnv(ctx: RuleContext, file: FileTaint): Env | undefined {
  if (file.moduleEnv) return file.moduleEnv;
  analyze(ctx, file, ctx.root);
  return file.moduleEnv;
}

function callSitesOf(ctx: RuleContext, file: FileTaint, name: string): SyntaxNode[] {
  if (!file.callSites) {
    const map = new Map<string, SyntaxNode[]>();
    for (const call of ctx.root.descendantsOfType('call')) {
      const fn = call.childForFieldName('function');
      if (!fn) continue;
      const n = fn.type === 'identifier' ? fn.text : fn.type === 'attribute' ? fn.childForFieldName('attribute')?.text : null;
      if (!n) continue;
      const list = map.get(n) ?? [];
      list.push(call);
      map.set(n, list);
    }
    file.callSites = map;
  }
  return file.callSites.get(name) ?? [];
}

const MAX_CALL_DEPTH = 3;

/**
 * Can the value of `node` carry attacker data into a sink of `kind`? Null when the value is
 * provably safe (constant, sanitized, never reached); otherwise the flow, or `unknown` when
 * it depends on values the analysis cannot see.
 */
const SOURCE_TEXT = /\binput\s*\(|\braw_input\b|\bargv\b|\.recv(?:from|msg)?\s*\(|\bstdin\b|\brfile\b|\bfileinput\b/;

/**
 * Can this module contain an attacker-controlled source at all? A cheap text and import check
 * that lets taint rules skip the analysis in the many modules (libraries, utilities) that read
 * no request, argument, socket or configured source.
 */
export function mayHaveSources(ctx: RuleContext): boolean {
  const file = fileOf(ctx);
  if (file.mayHaveSources === undefined) {
    const settings = file.settings;
    const text = ctx.source;
    file.mayHaveSources =
      importsWebFramework(ctx) ||
      SOURCE_TEXT.test(text) ||
      (settings.environment && /\benviron\b|\bgetenv\b/.test(text)) ||
      settings.sources.some((q) => text.includes(q.split('.').pop() ?? q));
  }
  return file.mayHaveSources;
}

export function taintAt(ctx: RuleContext, node: SyntaxNode, kind: SinkKind): TaintResult | null {
  return taintAtDepth(ctx, node, kind, 0, new Set());
}

function taintAtDepth(ctx: RuleContext, node: SyntaxNode, kind: SinkKind, depth: number, seen: Set<number>): TaintResult | null {
  const file = fileOf(ctx);
  const owner = ownerOf(node);
  const a = analyze(ctx, file, owner);
  if (!a) return { tainted: false, unknown: true, flow: [] };
  const k = key(node);
  if (!a.values.has(k)) {
    if (a.incomplete) return { tainted: false, unknown: true, flow: [] };
    // Not evaluated: unreachable code, or a construct the interpreter does not model (then it
    // is the enclosing expression's value that matters, which the rule asks about).
    return null;
  }
  const v = a.values.get(k) ?? null;
  const full = whole(v);
  if (!full) return null;
  const taintedHere = (full.src !== null || full.params !== 0) && !(full.clean & BIT[kind]);
  const opaqueHere = full.opaque && !((full.oclean ?? 0) & BIT[kind]);
  if (!taintedHere && !opaqueHere) return null;
  if (taintedHere && full.src) {
    return { tainted: true, unknown: false, source: full.src, flow: [full.src.step, ...full.steps] };
  }
  let unknown = opaqueHere;
  if (taintedHere && full.params) {
    const name = owner.type === 'function_definition' ? owner.childForFieldName('name')?.text : undefined;
    const sites = name && depth < MAX_CALL_DEPTH && !seen.has(owner.startIndex) ? callSitesOf(ctx, file, name) : [];
    const relevant = sites.filter((c) => callTargets(ctx, c, owner));
    if (relevant.length === 0) unknown = true;
    const nextSeen = new Set(seen).add(owner.startIndex);
    const offset = isMethod(owner) ? 1 : 0;
    for (const call of relevant) {
      const args = call.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
      for (let i = 0; i < a.params.length; i++) {
        if (!(full.params & (1 << i))) continue;
        const arg = argumentFor(args, a.params, i, offset);
        if (arg === 'unknown') {
          unknown = true;
          continue;
        }
        for (const node of arg) {
          const r = taintAtDepth(ctx, node, kind, depth + 1, nextSeen);
          if (!r) continue;
          if (r.tainted) {
            const callStep = step(call, `passed to \`${name ?? '?'}()\` as \`${a.params[i] ?? '?'}\``);
            return { tainted: true, unknown: false, ...(r.source ? { source: r.source } : {}), flow: [...r.flow, callStep, ...full.steps] };
          }
          if (r.unknown) unknown = true;
        }
      }
    }
  }
  return unknown ? { tainted: false, unknown: true, flow: [] } : null;
}

function isMethod(def: SyntaxNode): boolean {
  let p = def.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  return p?.type === 'block' && p.parent?.type === 'class_definition';
}

/** Does this call site call `def` (same name, resolved to the same definition)? */
function callTargets(ctx: RuleContext, call: SyntaxNode, def: SyntaxNode): boolean {
  const fn = call.childForFieldName('function');
  if (!fn) return false;
  if (fn.type === 'identifier') {
    const r = ctx.resolve(fn);
    return r.kind === 'local' && findDef(r.scope.node, fn.text)?.id === def.id;
  }
  if (fn.type === 'attribute' && isMethod(def)) {
    const obj = fn.childForFieldName('object');
    if (!obj) return false;
    if (obj.type === 'identifier' && (obj.text === 'self' || obj.text === 'cls')) return true;
    const cls = classOf(def);
    return cls !== null && isInstanceOf(ctx, unparen(obj), cls);
  }
  return false;
}

/** The method `name` of a top-level class of this module that `obj` is an instance of. */
function instanceMethod(ctx: RuleContext, obj: SyntaxNode, name: string): SyntaxNode | null {
  if (obj.type !== 'identifier' && obj.type !== 'call') return null;
  for (const cls of topLevelClasses(ctx.root)) {
    const body = cls.childForFieldName('body');
    const def = body ? findDef(body, name) : null;
    if (def && isInstanceOf(ctx, obj, cls)) return def;
  }
  return null;
}

function classOf(def: SyntaxNode): SyntaxNode | null {
  let p = def.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  const cls = p?.parent;
  return cls?.type === 'class_definition' ? cls : null;
}

/**
 * Is `obj` an instance of this module's class `cls`? `Cls(...)`, a name bound once to
 * `Cls(...)` or to a module function that returns `Cls(...)` (a factory), or a parameter
 * annotated `Cls` / injected with `Depends(Cls)` / `Depends(factory)`.
 */
function isInstanceOf(ctx: RuleContext, obj: SyntaxNode, cls: SyntaxNode, depth = 0): boolean {
  const name = cls.childForFieldName('name')?.text;
  if (!name || depth > 3) return false;
  const makes = (call: SyntaxNode): boolean => {
    const f = call.childForFieldName('function');
    if (f?.type !== 'identifier') return false;
    if (f.text === name) return ctx.resolve(f).kind === 'local';
    // A factory of the module: `def directory(): return Directory(...)`.
    const r = ctx.resolve(f);
    if (r.kind !== 'local') return false;
    const factory = findDef(r.scope.node, f.text);
    return factory !== null && factory.descendantsOfType('return_statement').some((ret) => ret.text.includes(`${name}(`));
  };
  if (obj.type === 'call') return makes(obj);
  if (obj.type !== 'identifier') return false;
  const v = ctx.valueOf(obj);
  if (v && v.id !== obj.id) {
    const vv = unparen(v);
    if (vv.type === 'call') return makes(vv);
    if (vv.type === 'identifier') return isInstanceOf(ctx, vv, cls, depth + 1);
  }
  // A parameter: `repo: SalesRepository = Depends(...)`, `repo=Depends(SalesRepository)`.
  const fn = ownerOf(obj);
  if (fn.type !== 'function_definition') return false;
  for (const p of fn.childForFieldName('parameters')?.namedChildren ?? []) {
    const pname = p.type === 'identifier' ? p.text : (p.childForFieldName('name')?.text ?? p.namedChildren.find((c) => c.type === 'identifier')?.text);
    if (pname !== obj.text) continue;
    const ann = p.childForFieldName('type')?.text ?? '';
    const dflt = p.childForFieldName('value');
    if (new RegExp(`(?:^|[\\[,\\s])${name}(?:$|[\\],\\s])`).test(ann)) return true;
    if (dflt?.type === 'call' && /^(?:Depends|Security)$/.test(dflt.childForFieldName('function')?.text ?? '')) {
      const target = dflt.childForFieldName('arguments')?.namedChildren[0];
      if (target?.type === 'identifier') {
        if (target.text === name) return true;
        const r = ctx.resolve(target);
        const factory = r.kind === 'local' ? findDef(r.scope.node, target.text) : null;
        return factory !== null && factory.descendantsOfType('return_statement').some((ret) => ret.text.includes(`${name}(`));
      }
    }
    return false;
  }
  return false;
}

/** The argument expressions a call passes to parameter `index` (several for `*args`/`**kwargs`). */
function argumentFor(args: SyntaxNode[], params: string[], index: number, offset: number): SyntaxNode[] | 'unknown' {
  const name = params[index] ?? '';
  const out: SyntaxNode[] = [];
  let pos = offset;
  for (const a of args) {
    if (a.type === 'keyword_argument') {
      const k = a.childForFieldName('name')?.text ?? '';
      const v = a.childForFieldName('value');
      if (!v) continue;
      if (k === name || (name.startsWith('**') && !params.includes(k))) out.push(v);
      continue;
    }
    if (a.type === 'list_splat' || a.type === 'dictionary_splat') return 'unknown';
    if (name.startsWith('*') && !name.startsWith('**') && pos >= index) out.push(a);
    else if (pos === index) out.push(a);
    pos++;
  }
  return out; // empty: the default value, a constant in the definition
}

/** A one-line description of a flow for messages: "`request.args` (line 12)". */
/**
 * Sources that belong to whoever runs the program rather than to a remote peer: its command
 * line, its terminal and its environment (CodeQL calls this the "local" threat model). A tool
 * that opens the file named on its command line does what it is for; rules where that matters
 * (path traversal) judge these flows differently.
 */
const LOCAL_SOURCES = new Set(['sys.argv', 'input()', 'raw_input()', 'sys.stdin', 'fileinput.input()', 'os.environ']);

export function isLocalSource(r: TaintResult): boolean {
  return r.source !== undefined && LOCAL_SOURCES.has(r.source.label);
}

export function describeSource(r: TaintResult): string {
  if (!r.source) return 'untrusted input';
  return `${r.source.label} (line ${r.source.step.range.start.line})`;
}

/** True when attacker data reaches `node` for a sink of `kind` (for rules that only grade). */
export function isTainted(ctx: RuleContext, node: SyntaxNode | null, kind: SinkKind): boolean {
  return node !== null && mayHaveSources(ctx) && taintAt(ctx, unparen(node), kind)?.tainted === true;
}

/**
 * False when the expression sits in code the analysis proves dead: a branch whose condition
 * folds to a constant false (`DEBUG = False` ... `if DEBUG:`), or statements after `return`.
 * Pattern rules use it to stay silent on code that never runs.
 */
export function isReachable(ctx: RuleContext, node: SyntaxNode): boolean {
  const file = fileOf(ctx);
  // Dead code of an enclosing function hides everything nested in it (a `def` under `if False:`).
  let depth = 0;
  for (let owner: SyntaxNode | null = ownerOf(node); owner && depth < 6; depth++) {
    const a = analyze(ctx, file, owner);
    if (a?.dead.some(([s, e]) => s <= node.startIndex && node.endIndex <= e)) return false;
    owner = owner.type === 'module' ? null : ownerOf(owner);
  }
  return true;
}
