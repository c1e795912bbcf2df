/**
 * Syntax trees as flat arrays: every node of a parse is one fixed-size record in an
 * Int32Array, in pre-order (layout in native/flat.c, which produces it in C straight after the
 * parse). Nodes are small JS objects over those records, so reading a node's type, field,
 * parent, children or text is an array read, where node-tree-sitter makes a native call.
 * On the Python standard library that is the difference between the analysis costing about
 * three parses and about one.
 *
 * `FlatNode` answers exactly what node-tree-sitter's SyntaxNode answers for the members pysec
 * uses; test/python/flat-tree.test.ts compares the two on every node of real files.
 */

/** Record layout: see native/flat.c. */
export const STRIDE = 10;
const SYMBOL_MASK = 0xffff;
export const FLAG_NAMED = 1 << 16;
export const FLAG_MISSING = 2 << 16;
export const FLAG_EXTRA = 4 << 16;
export const FLAG_HAS_ERROR = 8 << 16;
/** ts_builtin_sym_error: the symbol of ERROR nodes. */
export const ERROR_SYMBOL = 0xffff;

export interface Point {
  row: number;
  column: number;
}

/** What records refer to by number: type names by symbol and field names by field id. */
export class Grammar {
  /**
   * Type names by symbol ('' for a name not known yet, see `learn`). ERROR's symbol, 0xFFFF,
   * is past the end: `typeName` answers it, and the array stays small and dense.
   */
  readonly names: string[];
  readonly fieldIds = new Map<string, number>();
  private readonly symbolsByName = new Map<string, number[]>([['ERROR', [ERROR_SYMBOL]]]);

  constructor(
    symbols: readonly (string | null)[],
    readonly fields: readonly (string | null)[],
  ) {
    this.names = symbols.map((s) => s ?? '');
    fields.forEach((f, id) => {
      if (f !== null && id > 0) this.fieldIds.set(f, id);
    });
    this.names.forEach((name, symbol) => {
      if (name) this.index(name, symbol);
    });
  }

  typeName(symbol: number): string {
    // Bounds-checked rather than `names[symbol] ?? 'ERROR'`: a read past the end of an array
    // makes V8 throw away the optimised code of every function that inlined this one (the
    // walk, scope building, ...) at the first ERROR node of a run, and compile it all again.
    const names = this.names;
    return symbol < names.length ? names[symbol]! : 'ERROR';
  }

  /** Every symbol with this type name (aliases and tokens can share one). */
  symbols(name: string): readonly number[] {
    return this.symbolsByName.get(name) ?? [];
  }

  /** Record the name of a symbol met for the first time (node-tree-sitter does not list anonymous ones). */
  learn(symbol: number, name: string): string {
    if (symbol === ERROR_SYMBOL) return 'ERROR';
    this.names[symbol] = name;
    this.index(name, symbol);
    return name;
  }

  private index(name: string, symbol: number): void {
    const list = this.symbolsByName.get(name) ?? [];
    list.push(symbol);
    this.symbolsByName.set(name, list);
  }
}

/** Ids must differ across trees (analyses key maps by node id): each tree gets its own range. */
let nextIdBase = 1;

export class FlatTree {
  readonly rootNode: FlatNode;
  /** Number of nodes. */
  readonly count: number;
  /** `node.id` is idBase + index. */
  readonly idBase: number;
  private readonly nodes: (FlatNode | undefined)[];

  /**
   * `nodes`, when given, is where the tree keeps the nodes it makes: an array of at least
   * `count` empty slots, which the caller may reuse for a later tree once this one is dropped
   * (see parsePython's `reuse`). By default the tree makes its own.
   */
  constructor(
    readonly source: string,
    readonly data: Int32Array,
    readonly grammar: Grammar,
    nodes?: (FlatNode | undefined)[],
  ) {
    this.count = data.length / STRIDE;
    this.idBase = nextIdBase;
    nextIdBase += this.count + 1;
    this.nodes = nodes ?? new Array<FlatNode | undefined>(this.count);
    this.rootNode = this.node(0);
  }

  /** The node of record `index`: always the same object, so nodes compare with `===`. */
  node(index: number): FlatNode {
    return (this.nodes[index] ??= new FlatNode(this, index));
  }

  walk(): FlatCursor {
    return new FlatCursor(this);
  }

  typeOf(index: number): string {
    return this.grammar.typeName(this.data[index * STRIDE]! & SYMBOL_MASK);
  }
}

export class FlatNode {
  readonly id: number;
  private readonly base: number;
  private readonly data: Int32Array;
  private childList: readonly FlatNode[] | null = null;
  private namedList: readonly FlatNode[] | null = null;

  constructor(
    readonly tree: FlatTree,
    readonly index: number,
  ) {
    this.id = tree.idBase + index;
    this.base = index * STRIDE;
    this.data = tree.data;
  }

  get typeId(): number {
    return this.data[this.base]! & SYMBOL_MASK;
  }

  get type(): string {
    return this.tree.grammar.typeName(this.data[this.base]! & SYMBOL_MASK);
  }

  get isNamed(): boolean {
    return (this.data[this.base]! & FLAG_NAMED) !== 0;
  }

  get isMissing(): boolean {
    return (this.data[this.base]! & FLAG_MISSING) !== 0;
  }

  get isExtra(): boolean {
    return (this.data[this.base]! & FLAG_EXTRA) !== 0;
  }

  get hasError(): boolean {
    return (this.data[this.base]! & FLAG_HAS_ERROR) !== 0;
  }

  get startIndex(): number {
    return this.data[this.base + 4]!;
  }

  get endIndex(): number {
    return this.data[this.base + 5]!;
  }

  get startPosition(): Point {
    return { row: this.data[this.base + 6]!, column: this.data[this.base + 7]! };
  }

  get endPosition(): Point {
    return { row: this.data[this.base + 8]!, column: this.data[this.base + 9]! };
  }

  get text(): string {
    return this.tree.source.slice(this.data[this.base + 4], this.data[this.base + 5]);
  }

  get parent(): FlatNode | null {
    const p = this.data[this.base + 2]!;
    return p < 0 ? null : this.tree.node(p);
  }

  /** Index after this node's last descendant. */
  private get end(): number {
    return this.data[this.base + 3]!;
  }

  get childCount(): number {
    let n = 0;
    for (let c = this.index + 1, end = this.end; c < end; c = this.data[c * STRIDE + 3]!) n++;
    return n;
  }

  get namedChildCount(): number {
    let n = 0;
    for (let c = this.index + 1, end = this.end; c < end; c = this.data[c * STRIDE + 3]!) {
      if (this.data[c * STRIDE]! & FLAG_NAMED) n++;
    }
    return n;
  }

  /**
   * The children lists are made once per node and shared (rules ask for the same node's
   * children again and again), so they are read-only; node-tree-sitter made a new array each time.
   */
  get children(): readonly FlatNode[] {
    if (this.childList) return this.childList;
    const out: FlatNode[] = [];
    for (let c = this.index + 1, end = this.end; c < end; c = this.data[c * STRIDE + 3]!) out.push(this.tree.node(c));
    return (this.childList = out);
  }

  get namedChildren(): readonly FlatNode[] {
    if (this.namedList) return this.namedList;
    const out: FlatNode[] = [];
    for (let c = this.index + 1, end = this.end; c < end; c = this.data[c * STRIDE + 3]!) {
      if (this.data[c * STRIDE]! & FLAG_NAMED) out.push(this.tree.node(c));
    }
    return (this.namedList = out);
  }

  child(k: number): FlatNode | null {
    let i = 0;
    for (let c = this.index + 1, end = this.end; c < end; c = this.data[c * STRIDE + 3]!) {
      if (i++ === k) return this.tree.node(c);
    }
    return null;
  }

  namedChild(k: number): FlatNode | null {
    let i = 0;
    for (let c = this.index + 1, end = this.end; c < end; c = this.data[c * STRIDE + 3]!) {
      if (this.data[c * STRIDE]! & FLAG_NAMED && i++ === k) return this.tree.node(c);
    }
    return null;
  }

  get firstChild(): FlatNode | null {
    return this.index + 1 < this.end ? this.tree.node(this.index + 1) : null;
  }

  get lastChild(): FlatNode | null {
    let last = -1;
    for (let c = this.index + 1, end = this.end; c < end; c = this.data[c * STRIDE + 3]!) last = c;
    return last < 0 ? null : this.tree.node(last);
  }

  get firstNamedChild(): FlatNode | null {
    for (let c = this.index + 1, end = this.end; c < end; c = this.data[c * STRIDE + 3]!) {
      if (this.data[c * STRIDE]! & FLAG_NAMED) return this.tree.node(c);
    }
    return null;
  }

  get lastNamedChild(): FlatNode | null {
    let last = -1;
    for (let c = this.index + 1, end = this.end; c < end; c = this.data[c * STRIDE + 3]!) {
      if (this.data[c * STRIDE]! & FLAG_NAMED) last = c;
    }
    return last < 0 ? null : this.tree.node(last);
  }

  get nextSibling(): FlatNode | null {
    const p = this.data[this.base + 2]!;
    const next = this.end;
    return p >= 0 && next < this.data[p * STRIDE + 3]! ? this.tree.node(next) : null;
  }

  get previousSibling(): FlatNode | null {
    const p = this.data[this.base + 2]!;
    if (p < 0) return null;
    let prev = -1;
    for (let c = p + 1; c < this.index; c = this.data[c * STRIDE + 3]!) prev = c;
    return prev < 0 ? null : this.tree.node(prev);
  }

  get nextNamedSibling(): FlatNode | null {
    const p = this.data[this.base + 2]!;
    if (p < 0) return null;
    for (let c = this.end, end = this.data[p * STRIDE + 3]!; c < end; c = this.data[c * STRIDE + 3]!) {
      if (this.data[c * STRIDE]! & FLAG_NAMED) return this.tree.node(c);
    }
    return null;
  }

  get previousNamedSibling(): FlatNode | null {
    const p = this.data[this.base + 2]!;
    if (p < 0) return null;
    let prev = -1;
    for (let c = p + 1; c < this.index; c = this.data[c * STRIDE + 3]!) {
      if (this.data[c * STRIDE]! & FLAG_NAMED) prev = c;
    }
    return prev < 0 ? null : this.tree.node(prev);
  }

  childForFieldName(name: string): FlatNode | null {
    const field = this.tree.grammar.fieldIds.get(name);
    if (field === undefined) return null;
    for (let c = this.index + 1, end = this.end; c < end; c = this.data[c * STRIDE + 3]!) {
      if (this.data[c * STRIDE + 1] === field) return this.tree.node(c);
    }
    return null;
  }

  childrenForFieldName(name: string): FlatNode[] {
    const field = this.tree.grammar.fieldIds.get(name);
    const out: FlatNode[] = [];
    if (field === undefined) return out;
    for (let c = this.index + 1, end = this.end; c < end; c = this.data[c * STRIDE + 3]!) {
      if (this.data[c * STRIDE + 1] === field) out.push(this.tree.node(c));
    }
    return out;
  }

  /** Descendants (not this node) of the given type or types, in source order. */
  descendantsOfType(types: string | readonly string[]): FlatNode[] {
    const wanted = new Set<number>();
    for (const t of typeof types === 'string' ? [types] : types) for (const s of this.tree.grammar.symbols(t)) wanted.add(s);
    const out: FlatNode[] = [];
    for (let c = this.index + 1, end = this.end; c < end; c++) {
      if (wanted.has(this.data[c * STRIDE]! & SYMBOL_MASK)) out.push(this.tree.node(c));
    }
    return out;
  }

  /**
   * The smallest node (named or not) spanning [start, end], with tree-sitter's rules
   * (ts_node_descendant_for_byte_range).
   */
  descendantForIndex(start: number, end: number = start): FlatNode {
    const d = this.data;
    let node = this.index;
    let descended = true;
    while (descended) {
      descended = false;
      for (let c = node + 1, stop = d[node * STRIDE + 3]!; c < stop; c = d[c * STRIDE + 3]!) {
        const cs = d[c * STRIDE + 4]!;
        const ce = d[c * STRIDE + 5]!;
        if (ce < end) continue;
        if (cs === ce ? ce < start : ce <= start) continue;
        if (start < cs) break;
        node = c;
        descended = true;
        break;
      }
    }
    return this.tree.node(node);
  }

  /** The S-expression of named (and missing) nodes, as tree-sitter prints it (messages, tests). */
  toString(): string {
    if ((this.data[this.base]! & SYMBOL_MASK) === ERROR_SYMBOL && this.childCount === 0 && this.endIndex > this.startIndex) {
      // A character the lexer could not use: tree-sitter prints it, quoted when printable ASCII.
      const c = this.text.codePointAt(0)!;
      return `(UNEXPECTED ${c >= 0x20 && c < 0x7f ? `'${String.fromCodePoint(c)}'` : c})`;
    }
    const head = this.isMissing ? (this.isNamed ? `MISSING ${this.type}` : `MISSING ${JSON.stringify(this.type)}`) : this.type;
    const parts = this.children
      .filter((c) => c.isNamed || c.isMissing)
      .map((c) => {
        const f = this.tree.grammar.fields[this.data[c.index * STRIDE + 1]!];
        return f ? `${f}: ${c.toString()}` : c.toString();
      });
    return parts.length === 0 ? `(${head})` : `(${head} ${parts.join(' ')})`;
  }

  walk(): FlatCursor {
    return new FlatCursor(this.tree, this.index);
  }
}

/** A pre-order cursor over a flat tree, with node-tree-sitter's TreeCursor members. */
export class FlatCursor {
  /** Record index of the current node. */
  index: number;
  private readonly data: Int32Array;
  private readonly root: number;

  constructor(
    readonly tree: FlatTree,
    root = 0,
  ) {
    this.index = root;
    this.root = root;
    this.data = tree.data;
  }

  get nodeTypeId(): number {
    return this.data[this.index * STRIDE]! & SYMBOL_MASK;
  }

  get nodeType(): string {
    return this.tree.typeOf(this.index);
  }

  get nodeIsNamed(): boolean {
    return (this.data[this.index * STRIDE]! & FLAG_NAMED) !== 0;
  }

  get nodeIsMissing(): boolean {
    return (this.data[this.index * STRIDE]! & FLAG_MISSING) !== 0;
  }

  get currentFieldId(): number {
    return this.index === this.root ? 0 : this.data[this.index * STRIDE + 1]!;
  }

  get currentFieldName(): string | undefined {
    const f = this.currentFieldId;
    return f === 0 ? undefined : (this.tree.grammar.fields[f] ?? undefined);
  }

  get startIndex(): number {
    return this.data[this.index * STRIDE + 4]!;
  }

  get endIndex(): number {
    return this.data[this.index * STRIDE + 5]!;
  }

  get startPosition(): Point {
    return { row: this.data[this.index * STRIDE + 6]!, column: this.data[this.index * STRIDE + 7]! };
  }

  get endPosition(): Point {
    return { row: this.data[this.index * STRIDE + 8]!, column: this.data[this.index * STRIDE + 9]! };
  }

  get nodeText(): string {
    return this.tree.source.slice(this.data[this.index * STRIDE + 4], this.data[this.index * STRIDE + 5]);
  }

  get currentNode(): FlatNode {
    return this.tree.node(this.index);
  }

  gotoFirstChild(): boolean {
    if (this.index + 1 >= this.data[this.index * STRIDE + 3]!) return false;
    this.index++;
    return true;
  }

  gotoNextSibling(): boolean {
    if (this.index === this.root) return false;
    const p = this.data[this.index * STRIDE + 2]!;
    const next = this.data[this.index * STRIDE + 3]!;
    if (p < 0 || next >= this.data[p * STRIDE + 3]!) return false;
    this.index = next;
    return true;
  }

  gotoParent(): boolean {
    if (this.index === this.root) return false;
    const p = this.data[this.index * STRIDE + 2]!;
    if (p < 0) return false;
    this.index = p;
    return true;
  }
}
