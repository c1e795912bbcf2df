/**
 * The single-walk engine: parse once, walk the tree's records once, collect scopes,
 * comments and the nodes rules asked for, then dispatch to every enabled rule.
 *
 * Dispatch happens after the walk, not during it, because Python scoping is decided by
 * the whole scope (a binding further down makes a name local everywhere in its function);
 * rules must see complete scopes to resolve names without guessing. The walk itself is
 * the only full traversal of the tree.
 */
import { parsePython, type SyntaxNode, type Tree, type TreeCursor } from '../python/parser.js';
import { IMPORT_TYPES, PARENTS_OF_BINDINGS, SCOPE_NODE_KINDS, ScopeBuilder, qualifiedOf } from '../python/scope.js';
import { ERROR_SYMBOL, FLAG_MISSING, STRIDE } from '../python/flat-tree.js';
import { enclosingStatement } from '../python/ast.js';
import { RuleContext, rangeOf, type FileState } from './context.js';
import { directiveMatches, mayBeDirective, parseDirectives, type Directive } from './suppressions.js';
import { fingerprint } from './fingerprint.js';
import { anyArray } from './any-array.js';
import { DEFAULT_TAINT_SETTINGS, type TaintSettings } from '../python/taint.js';
import type { Diagnostic, Finding, Rule, Severity } from './types.js';

export interface AnalyzeOptions {
  /** Per-rule severity overrides from configuration. */
  severityOverrides?: ReadonlyMap<string, Severity>;
  /** Report `# pysec: ignore` directives that suppressed nothing. */
  reportUnusedSuppressions?: boolean;
  /** When given, milliseconds spent in each rule's visitors are added here (for benchmarks). */
  timings?: Map<string, number>;
  /**
   * Ignore rules' `callFilter`/`textFilters`/`fileFilter` and give every node to every visitor. Tests use
   * it to prove a filter never hides a finding.
   */
  noPrefilter?: boolean;
  /** Extra taint sources and sanitizers from configuration. */
  taint?: TaintSettings;
}

// Walk flags per node type (see `Walker.flags`).
const KNOWN = 1;
const ENTER = 2;
const EXIT = 4;
const SCOPE = 8;
const IMPORT = 16;
const BINDS = 32;
const COMMENT = 64;
/** The walk flags' storage, reused file after file (see `Walker.flags`). */
let flagsBuffer = new Uint8Array(0);

export interface SuppressedFinding {
  finding: Finding;
  directive: string;
}

export interface FileAnalysis {
  path: string;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  diagnostics: Diagnostic[];
  /** 1-based lines of the first syntax errors (empty when the file parsed cleanly). */
  syntaxErrors: number[];
  lines: number;
}

/** The meta-rule used for unused suppression reports. */
export const UNUSED_SUPPRESSION_ID = 'unused-suppression';

const MAX_SNIPPET = 400;
const MAX_SYNTAX_ERRORS = 5;

interface Handler {
  rule: number;
  fn: (node: SyntaxNode) => void;
}

export function analyzeSource(
  path: string,
  source: string,
  rules: readonly Rule[],
  options: AnalyzeOptions = {},
  unusedSuppressionRule?: Rule,
): FileAnalysis {
  // The tree lives only for this analysis (findings keep ranges and text, never nodes), so its
  // records can go in the thread's reusable buffer.
  const tree = parsePython(source, { reuse: true });
  return analyzeTree(path, source, tree, rules, options, unusedSuppressionRule);
}

export function analyzeTree(
  path: string,
  source: string,
  tree: Tree,
  rules: readonly Rule[],
  options: AnalyzeOptions = {},
  unusedSuppressionRule?: Rule,
): FileAnalysis {
  // The phases are separate functions, not one: V8 optimises and (when a new object shape
  // turns up, as rules' descriptors and visitors do) re-optimises a function as a whole, and
  // one function holding them all cost ~1.2 s of compiler time per stdlib scan, re-compiled
  // ten times. Each phase settles on its own.
  const root = tree.rootNode;
  const scopes = new ScopeBuilder(root, source.length);
  const state: FileState = {
    path,
    source,
    root,
    // Replaced by the finished index after the walk, before any rule runs.
    scopes: scopes.finish(),
    module: scopes.module,
    names: new Map(),
    callees: new Map(),
    reports: [],
    nodeCache: new Map(),
    taint: options.taint ?? DEFAULT_TAINT_SETTINGS,
  };
  const run = new RuleRun(path, rules, options);
  run.instantiate(state, source);
  const walked = new Walker(tree, source, scopes, run.enter, run.exit, options.noPrefilter ? new Map() : textFilterPlan(run.enter, rules)).walk();
  state.scopes = scopes.finish();
  run.dispatch(state, tree, walked.events);
  const raw = findingsOf(state, run);
  const { findings, suppressed } = applySuppressions(raw, walked.comments, rules, path, options, unusedSuppressionRule);
  findings.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column);
  return {
    path,
    findings,
    suppressed,
    diagnostics: run.diagnostics,
    syntaxErrors: walked.syntaxErrors,
    lines: root.endPosition.row + 1,
  };
}

/**
 * The walk's events: the nodes some visitor wants, in walk order. An event is a number, the
 * node's record index times 4 plus its kind (a stdlib scan makes ~1.7M of them; as objects
 * they were a tenth of all the analysis allocated). A call keeps its callee text, and a
 * pre-filtered node the handlers whose filter passed, in side lists read in the same order.
 * Nodes are made at dispatch, and only for calls and pre-filtered types some rule wants.
 */
const EV_ENTER = 0;
const EV_EXIT = 1;
/** A call: its dotted callee text (`os.path.join`), or null when it is not a plain name chain. */
const EV_CALL = 2;
/** A pre-filtered node: the handlers whose text filter passed. */
const EV_FILTERED = 3;

interface WalkEvents {
  /** `count` codes; the array is the thread's reusable buffer (see `eventBuffer`), longer than that. */
  codes: Int32Array;
  count: number;
  callees: (string | null)[];
  handlers: Handler[][];
}

/**
 * The walk's event codes, reused file after file: an analysis is synchronous, so one file's
 * events are dispatched before the next walk starts. A stdlib scan makes ~1.7M events; a new
 * array per file made ~40 MB of garbage, most of it the copies of growing arrays.
 */
let eventBuffer = new Int32Array(1 << 14);

interface OpenNode {
  end: number;
  node: SyntaxNode;
  exit: boolean;
  scope: boolean;
}

interface Walked {
  events: WalkEvents;
  /** The comments that may be suppression directives. */
  comments: { text: string; line: number; column: number }[];
  syntaxErrors: number[];
}

/**
 * The walk: one pre-order pass over the flat records. It feeds the scope builder, collects
 * comments and syntax errors, and records the events the rules' visitors asked for.
 *
 * The per-node loop (`walk`) is kept small, and what few nodes need (`visit`) is a method of its
 * own: V8 re-optimises a function whole whenever a path it has not yet run turns up (a comment
 * with a directive, the first syntax error, a new visitor type), and as one function the walk
 * was re-compiled ~13 times per worker per stdlib scan, ~1.6 s of compiler time in a pool.
 */
class Walker {
  private codes = eventBuffer;
  private events = 0;
  private readonly callees: (string | null)[] = anyArray();
  private readonly filtered: Handler[][] = anyArray();
  private readonly comments: Walked['comments'] = anyArray();
  private readonly syntaxErrors: number[] = [];
  /**
   * Open nodes that need something done when the walk leaves them (exit visitors, scope ends).
   * Always a chain of ancestors of the current node, innermost last.
   */
  private readonly open: OpenNode[] = anyArray();
  private readonly cursor: TreeCursor;
  private readonly data: Int32Array;
  private readonly grammar: Tree['grammar'];
  /**
   * What the walk does with each type, worked out the first time this file meets it. Symbols
   * are dense and few; ERROR's (0xFFFF) gets the slot after the last.
   */
  private readonly flags: Uint8Array;
  private readonly symbolCount: number;

  constructor(
    private readonly tree: Tree,
    private readonly source: string,
    private readonly scopes: ScopeBuilder,
    private readonly enter: ReadonlyMap<string, Handler[]>,
    private readonly exit: ReadonlyMap<string, Handler[]>,
    private readonly textFiltered: ReadonlyMap<string, TextFilter[]>,
  ) {
    this.cursor = tree.walk();
    this.data = tree.data;
    this.grammar = tree.grammar;
    this.symbolCount = tree.grammar.names.length;
    if (flagsBuffer.length < this.symbolCount + 1) flagsBuffer = new Uint8Array(this.symbolCount + 1);
    this.flags = flagsBuffer.fill(0);
  }

  walk(): Walked {
    const { data, flags, symbolCount, open, scopes } = this;
    const count = this.tree.count;
    scopes.begin(count);
    const roles = scopes.roles;
    // The usual clean file skips the ERROR and MISSING checks per node.
    const hasErrors = this.tree.rootNode.hasError;
    for (let i = 0; i < count; i++) {
      if (open.length > 0 && open[open.length - 1]!.end <= i) this.closeUntil(i);
      const record = i * STRIDE;
      const symbol = data[record]! & 0xffff;
      const slot = symbol < symbolCount ? symbol : symbolCount;
      let f = flags[slot]!;
      if (f === 0) f = this.flagsOf(slot, symbol);
      // Binding roles: only under a node that can bind (assignment, parameters...) or inside a
      // binding pattern. Every other node is passed by with two array reads.
      const parent = data[record + 2]!;
      if (parent >= 0) {
        const ps = data[parent * STRIDE]! & 0xffff;
        if (roles[parent] !== 0 || flags[ps < symbolCount ? ps : symbolCount]! & BINDS) this.bind(i, symbol, parent, ps);
      }
      if (f !== KNOWN || hasErrors) this.visit(i, f, hasErrors);
    }
    this.closeUntil(Infinity);
    return {
      events: { codes: this.codes, count: this.events, callees: this.callees, handlers: this.filtered },
      comments: this.comments,
      syntaxErrors: this.syntaxErrors,
    };
  }

  private flagsOf(slot: number, symbol: number): number {
    const type = this.grammar.typeName(symbol);
    let f = KNOWN;
    if (this.enter.has(type)) f |= ENTER;
    if (this.exit.has(type)) f |= EXIT;
    if (SCOPE_NODE_KINDS[type]) f |= SCOPE;
    if (IMPORT_TYPES.has(type)) f |= IMPORT;
    if (PARENTS_OF_BINDINGS.has(type)) f |= BINDS;
    if (type === 'comment') f |= COMMENT;
    this.flags[slot] = f;
    return f;
  }

  private bind(i: number, symbol: number, parent: number, parentSymbol: number): void {
    this.cursor.index = i;
    this.scopes.visit(this.cursor, this.grammar.typeName(symbol), parent, this.grammar.typeName(parentSymbol));
  }

  private push(code: number): void {
    if (this.events === this.codes.length) {
      const grown = new Int32Array(this.codes.length * 2);
      grown.set(this.codes);
      this.codes = eventBuffer = grown;
    }
    this.codes[this.events++] = code;
  }

  /** Leave the open nodes that end at or before record `i`, innermost first. */
  private closeUntil(i: number): void {
    const open = this.open;
    while (open.length > 0 && open[open.length - 1]!.end <= i) {
      const top = open.pop()!;
      if (top.exit) this.push(top.node.index * 4 + EV_EXIT);
      if (top.scope) this.scopes.pop();
    }
  }

  /** A node some part of the analysis wants, or any node of a file with syntax errors. */
  private visit(i: number, f: number, hasErrors: boolean): void {
    const { data, grammar, source } = this;
    const record = i * STRIDE;
    if (f & COMMENT) this.comment(i);
    if (hasErrors) {
      const word = data[record]!;
      if (((word & 0xffff) === ERROR_SYMBOL || word & FLAG_MISSING) && this.syntaxErrors.length < MAX_SYNTAX_ERRORS) {
        this.syntaxErrors.push(data[record + 6]! + 1);
      }
    }
    if ((f & ~(KNOWN | BINDS | COMMENT)) === 0) return;
    const type = grammar.typeName(data[record]! & 0xffff);
    const wantsEnter = (f & ENTER) !== 0;
    const wantsExit = (f & EXIT) !== 0;
    const scopeKind = f & SCOPE ? SCOPE_NODE_KINDS[type] : undefined;
    const isImport = (f & IMPORT) !== 0;
    if (wantsEnter && type === 'call' && !wantsExit && !scopeKind) {
      // The callee's dotted text, read from the call's first child.
      let callee: string | null = null;
      if (i + 1 < data[record + 3]!) {
        const ft = grammar.typeName(data[record + STRIDE]! & 0xffff);
        if (ft === 'identifier' || ft === 'attribute') {
          const text = source.slice(data[record + STRIDE + 4], data[record + STRIDE + 5]);
          const dotted = ft === 'identifier' ? text : text.replace(/\s+/g, '');
          if (DOTTED.test(dotted)) callee = dotted;
        }
      }
      this.push(i * 4 + EV_CALL);
      this.callees.push(callee);
      return;
    }
    if (wantsEnter && !wantsExit && !scopeKind && !isImport) {
      const filters = this.textFiltered.get(type);
      if (filters) {
        this.filter(i, filters);
        return;
      }
    }
    const node = this.tree.node(i);
    if (isImport) this.scopes.bindImport(node);
    if (scopeKind) this.scopes.push(scopeKind, node);
    if (wantsEnter) this.push(i * 4 + EV_ENTER);
    if (wantsExit || scopeKind) this.open.push({ end: data[record + 3]!, node, exit: wantsExit, scope: scopeKind !== undefined });
  }

  /** Only suppression directives are kept: nothing else reads comments. */
  private comment(i: number): void {
    this.cursor.index = i;
    const text = this.cursor.nodeText;
    if (!mayBeDirective(text)) return;
    const p = this.cursor.startPosition;
    this.comments.push({ text, line: p.row + 1, column: p.column + 1 });
  }

  /** A pre-filtered node: an event only when some handler's text filter passes. */
  private filter(i: number, filters: readonly TextFilter[]): void {
    const record = i * STRIDE;
    const text = this.source.slice(this.data[record + 4], this.data[record + 5]);
    let handlers: Handler[] | null = null;
    for (const tf of filters) if (tf.pass(text)) (handlers ??= []).push(tf.handler);
    if (handlers) {
      this.push(i * 4 + EV_FILTERED);
      this.filtered.push(handlers);
    }
  }
}

/**
 * The rules of one file's analysis: their visitors by node type, and which of them failed. A
 * rule that throws is disabled for this file and reported, and the others go on.
 */
class RuleRun {
  readonly enter = new Map<string, Handler[]>();
  readonly exit = new Map<string, Handler[]>();
  readonly moduleExit: Handler[] = [];
  readonly dead = new Set<number>();
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    readonly path: string,
    readonly rules: readonly Rule[],
    readonly options: AnalyzeOptions,
  ) {}

  /** Instantiate the rules and index their visitors by node type. */
  instantiate(state: FileState, source: string): void {
    const { rules, options } = this;
    for (let index = 0; index < rules.length; index++) {
      const rule = rules[index]!;
      if (!options.noPrefilter && rule.fileFilter && !rule.fileFilter(source)) continue;
      try {
        const visitors = rule.create(new RuleContext(state, rule));
        for (const key in visitors) {
          const fn = visitors[key as keyof typeof visitors];
          if (!fn) continue;
          if (key === 'module:exit') {
            this.moduleExit.push({ rule: index, fn: fn as () => void });
            continue;
          }
          const [type, phase] = visitorKey(key);
          if (!type) continue;
          const map = phase === 'exit' ? this.exit : this.enter;
          const list = map.get(type);
          if (list) list.push({ rule: index, fn: fn as (node: SyntaxNode) => void });
          else map.set(type, [{ rule: index, fn: fn as (node: SyntaxNode) => void }]);
        }
      } catch (err) {
        this.fail(index, err);
      }
    }
  }

  private fail(index: number, err: unknown): void {
    this.dead.add(index);
    const rule = this.rules[index];
    if (rule) this.diagnostics.push(ruleError(this.path, rule, err));
  }

  private call(h: Handler, node: SyntaxNode | null): void {
    if (this.dead.has(h.rule)) return;
    const timings = this.options.timings;
    const started = timings ? performance.now() : 0;
    try {
      if (node) h.fn(node);
      else (h.fn as () => void)();
      if (timings) {
        const id = this.rules[h.rule]?.meta.id ?? '?';
        timings.set(id, (timings.get(id) ?? 0) + performance.now() - started);
      }
    } catch (err) {
      this.fail(h.rule, err);
    }
  }

  /** Hand the walk's events to the visitors, in walk order, then `module:exit`. */
  dispatch(state: FileState, tree: Tree, events: WalkEvents): void {
    const { enter, exit, rules, options } = this;
    const callHandlers = enter.get('call') ?? [];
    const callFilters = callHandlers.map((h) => (options.noPrefilter ? undefined : rules[h.rule]?.callFilter));
    const memo = options.noPrefilter ? undefined : callFilterMemo(callFilters);
    const { codes, count, callees, handlers: filtered } = events;
    const data = tree.data;
    let nextCallee = 0;
    let nextFiltered = 0;
    for (let e = 0; e < count; e++) {
      const code = codes[e]!;
      const kind = code & 3;
      const index = (code - kind) / 4;
      if (kind === EV_ENTER || kind === EV_EXIT) {
        const node = tree.node(index);
        const handlers = (kind === EV_EXIT ? exit : enter).get(node.type);
        if (handlers) for (const h of handlers) this.call(h, node);
        continue;
      }
      if (kind === EV_FILTERED) {
        const node = tree.node(index);
        for (const h of filtered[nextFiltered++]!) this.call(h, node);
        continue;
      }
      const callee = callees[nextCallee++]!;
      if (callee === null) {
        // Not a plain name chain (`f()()`, `(a or b)()`): no cheap name, every rule decides.
        if (callHandlers.length === 0) continue;
        const node = tree.node(index);
        for (const h of callHandlers) this.call(h, node);
        continue;
      }
      // A plain name chain: each rule's call filter decides from the resolved name whether it
      // wants the node, which is made only when one does. The filters are pure functions of the
      // name, and a file calls the same names again and again (so do all files), so the answer
      // is looked up: by what the callee's head resolves to here and the callee text, or, when
      // the head is local or unknown (`x.run()`, `y.z.run()`), by the method name alone.
      const dot = callee.indexOf('.');
      const headQualified = qualifiedOf(dot < 0 ? callee : callee.slice(0, dot), state.scopes.at(data[index * STRIDE + 4]!));
      const head = headQualified ?? UNRESOLVED;
      const key = headQualified !== null || dot < 0 ? callee : callee.slice(callee.lastIndexOf('.') + 1);
      let answer = memo?.get(head, key);
      if (!answer) {
        const qualified = headQualified === null ? null : dot < 0 ? headQualified : headQualified + callee.slice(dot);
        const method = headQualified === null ? key : callee.slice(callee.lastIndexOf('.') + 1);
        const wanted: number[] = [];
        for (let k = 0; k < callHandlers.length; k++) {
          const f = callFilters[k];
          if (!f || f(qualified, method)) wanted.push(k);
        }
        answer = { qualified, wanted };
        memo?.set(head, key, answer);
      }
      const { qualified, wanted } = answer;
      let node: SyntaxNode | undefined;
      for (const k of wanted) {
        if (!node) {
          node = tree.node(index);
          state.callees.set(node.id, qualified);
        }
        this.call(callHandlers[k]!, node);
      }
    }
    for (const h of this.moduleExit) this.call(h, null);
  }
}

interface RawFinding {
  finding: Finding;
  rule: Rule;
}

/** Findings from the rules' reports, dropping those of rules that failed part-way. */
function findingsOf(state: FileState, run: RuleRun): RawFinding[] {
  const { path, options } = run;
  const deadIds = new Set([...run.dead].map((i) => run.rules[i]?.meta.id));
  const raw: RawFinding[] = [];
  const seen = new Set<string>();
  const occurrences = new Map<string, number>();
  for (const { rule, descriptor } of state.reports) {
    if (deadIds.has(rule.meta.id)) continue;
    const node = descriptor.node;
    // One finding per (rule, node): two visitors reaching the same node report once.
    const key = `${rule.meta.id}:${node.startIndex}:${node.endIndex}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const text = node.text;
    const code = text.length > MAX_SNIPPET ? text.slice(0, MAX_SNIPPET) : text;
    const snippet = rule.meta.redactSnippet ? maskStrings(code) : code;
    const occKey = `${rule.meta.id}\0${code.replace(/\s+/g, '')}`;
    const occ = occurrences.get(occKey) ?? 0;
    occurrences.set(occKey, occ + 1);
    const finding: Finding = {
      ruleId: rule.meta.id,
      area: rule.meta.area,
      severity: options.severityOverrides?.get(rule.meta.id) ?? descriptor.severity ?? rule.meta.severity,
      confidence: descriptor.confidence ?? rule.meta.confidence,
      messageId: descriptor.messageId,
      message: formatMessage(rule.meta.messages[descriptor.messageId] ?? '', descriptor.data),
      path,
      range: rangeOf(node),
      statementLines: statementLines(node),
      snippet,
      cwe: rule.meta.cwe,
      owasp: rule.meta.owasp,
      fingerprint: fingerprint(rule.meta.id, path, code, occ),
    };
    if (descriptor.fix) finding.fix = descriptor.fix;
    if (descriptor.flow) finding.flow = descriptor.flow;
    raw.push({ finding, rule });
  }
  return raw;
}

/** Split findings by the suppression comments on their lines; report unused suppressions. */
function applySuppressions(
  raw: readonly RawFinding[],
  comments: Walked['comments'],
  rules: readonly Rule[],
  path: string,
  options: AnalyzeOptions,
  unusedSuppressionRule: Rule | undefined,
): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const directivesByLine = new Map<number, Directive[]>();
  for (const c of comments) {
    const ds = parseDirectives(c.text, c.line, c.column);
    if (ds.length > 0) directivesByLine.set(c.line, ds);
  }
  const used = new Set<string>();
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const { finding: f, rule } of raw) {
    let matched: string | null = null;
    if (directivesByLine.size > 0) {
      for (let line = f.statementLines.start; line <= f.statementLines.end && !matched; line++) {
        for (const d of directivesByLine.get(line) ?? []) {
          const m = directiveMatches(d, rule.meta);
          if (m) {
            used.add(`${d.line}:${d.column}:${m}`);
            matched = d.text;
            break;
          }
        }
      }
    }
    if (matched) suppressed.push({ finding: f, directive: matched });
    else findings.push(f);
  }

  if (options.reportUnusedSuppressions && unusedSuppressionRule) {
    const activeIds = new Set(rules.flatMap((r) => [r.meta.id, ...(r.meta.aliases ?? [])]));
    for (const ds of directivesByLine.values()) {
      for (const d of ds) {
        if (d.kind !== 'pysec') continue;
        // Only ids of rules that ran can be judged unused: `--rule X` says nothing about Y.
        const ids = (d.ids ?? ['*']).filter((id) => id === '*' || activeIds.has(id));
        const unused = ids.filter((id) => !used.has(`${d.line}:${d.column}:${id}`));
        if (unused.length === 0) continue;
        const meta = unusedSuppressionRule.meta;
        const what = d.ids === null ? '`# pysec: ignore`' : unused.map((u) => `\`${u}\``).join(', ');
        const range = { start: { line: d.line, column: d.column }, end: { line: d.line, column: d.column + d.text.length } };
        findings.push({
          ruleId: meta.id,
          area: meta.area,
          severity: options.severityOverrides?.get(meta.id) ?? meta.severity,
          confidence: meta.confidence,
          messageId: 'unused',
          message: formatMessage(meta.messages.unused ?? '', { what }),
          path,
          range,
          statementLines: { start: d.line, end: d.line },
          snippet: d.text,
          cwe: meta.cwe,
          owasp: meta.owasp,
          fingerprint: fingerprint(meta.id, path, `${d.text}:${unused.join(',')}`, d.line),
        });
      }
    }
  }
  return { findings, suppressed };
}

/** Fill `{{name}}` placeholders. */
export function formatMessage(template: string, data?: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_m, key: string) =>
    data && key in data ? String(data[key]) : `{{${key}}}`,
  );
}

/**
 * The lines a suppression comment may sit on: the whole simple statement containing the
 * node, or only the header of a compound statement (`def ...:`, `if ...:`, decorators),
 * never its body, so a comment inside a block does not silence its `if` condition.
 */
function statementLines(node: SyntaxNode): { start: number; end: number } {
  const stmt = enclosingStatement(node);
  let end = stmt.endPosition.row;
  const body = firstBlock(stmt);
  if (body) end = Math.max(stmt.startPosition.row, body.startPosition.row - 1);
  return {
    start: Math.min(stmt.startPosition.row, node.startPosition.row) + 1,
    end: Math.max(end, node.endPosition.row) + 1,
  };
}

function firstBlock(stmt: SyntaxNode): SyntaxNode | null {
  for (const c of stmt.namedChildren) {
    if (c.type === 'block') return c;
    if (stmt.type === 'decorated_definition' && (c.type === 'function_definition' || c.type === 'class_definition')) {
      return firstBlock(c);
    }
  }
  return null;
}

function ruleError(path: string, rule: Rule, err: unknown): Diagnostic {
  const message = err instanceof Error ? err.message : String(err);
  return { path, kind: 'rule-error', ruleId: rule.meta.id, message: `rule ${rule.meta.id} failed: ${message}` };
}

/** What the call filters answer for one callee: its qualified name, and the handlers that want it. */
interface CallAnswer {
  qualified: string | null;
  wanted: number[];
}

/** The memo key of a callee whose head is local or unknown (no qualified name). */
const UNRESOLVED = '\u0001';

/**
 * Call-filter answers, by what the callee's head resolves to and the callee text (or the method
 * name, see dispatch). Two levels of maps, so that a lookup builds no key string. Bounded: a
 * long-running app meets ever new names.
 */
class CallMemo {
  private readonly byHead = new Map<string, Map<string, CallAnswer>>();
  private size = 0;

  get(head: string, callee: string): CallAnswer | undefined {
    return this.byHead.get(head)?.get(callee);
  }

  set(head: string, callee: string, answer: CallAnswer): void {
    if (this.size >= CALL_MEMO_MAX) {
      this.byHead.clear();
      this.size = 0;
    }
    let byCallee = this.byHead.get(head);
    if (!byCallee) this.byHead.set(head, (byCallee = new Map()));
    byCallee.set(callee, answer);
    this.size++;
  }
}

/**
 * One memo per list of call filters (the functions themselves, in order, which fixes the
 * positions the answers list): files whose rules differ (file filters) keep separate answers.
 */
const CALL_MEMO_MAX = 50_000;
const callMemos = new Map<string, CallMemo>();
const filterIds = new WeakMap<object, number>();
let nextFilterId = 1;
function callFilterMemo(filters: readonly (Rule['callFilter'] | undefined)[]): CallMemo {
  const signature = filters
    .map((f) => {
      if (!f) return 0;
      let id = filterIds.get(f);
      if (id === undefined) filterIds.set(f, (id = nextFilterId++));
      return id;
    })
    .join(',');
  let memo = callMemos.get(signature);
  if (!memo) {
    if (callMemos.size >= 64) callMemos.clear();
    callMemos.set(signature, (memo = new CallMemo()));
  }
  return memo;
}

/** `call:exit` → ['call', 'exit'], worked out once per key (rules are set up for every file). */
const visitorKeys = new Map<string, [string, string | undefined]>();
function visitorKey(key: string): [string, string | undefined] {
  let parsed = visitorKeys.get(key);
  if (!parsed) {
    const [type = '', phase] = key.split(':');
    visitorKeys.set(key, (parsed = [type, phase]));
  }
  return parsed;
}

const DOTTED = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/**
 * Node types whose every enter-visitor has a text pre-filter: those are read as text from the
 * cursor and materialised only for the rules whose filter accepts them.
 */
interface TextFilter {
  handler: Handler;
  pass: (text: string) => boolean;
}

function textFilterPlan(enter: ReadonlyMap<string, Handler[]>, rules: readonly Rule[]): Map<string, TextFilter[]> {
  const plan = new Map<string, TextFilter[]>();
  for (const [type, handlers] of enter) {
    if (type === 'call') continue;
    const filters = handlers.map((h) => ({ handler: h, pass: rules[h.rule]?.textFilters?.[type] }));
    if (filters.every((f) => f.pass)) {
      plan.set(type, filters as TextFilter[]);
    }
  }
  return plan;
}

const STRING_LITERAL = /([rRbBuUfF]{0,2})("""|'''|"|')([\s\S]*?)\2/g;

/** Mask the contents of string literals in code, keeping a short prefix: `"s3cr…"`. */
export function maskStrings(code: string): string {
  let masked = false;
  const out = code.replace(STRING_LITERAL, (_m, prefix: string, quote: string, body: string) => {
    masked = true;
    return `${prefix}${quote}${body.length > 4 ? `${body.slice(0, 4)}…` : body}${quote}`;
  });
  return masked ? out : `${code.slice(0, 4)}…`;
}
