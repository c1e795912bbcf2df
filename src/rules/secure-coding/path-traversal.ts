import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, enclosingFunction, stringValue, terminalName, unparen } from '../../python/ast.js';
import { isLocalSource, mayHaveSources, taintAt } from '../../python/taint.js';
import { rangeOf } from '../../core/context.js';
import type { FlowStep } from '../../core/types.js';

/** File-system sinks: each path argument as [position, keyword]. */
const SINKS: Record<string, [number, string][]> = {
  open: [[0, 'file']],
  'builtins.open': [[0, 'file']],
  'io.open': [[0, 'file']],
  'codecs.open': [[0, 'filename']],
  'os.open': [[0, 'path']],
  'os.remove': [[0, 'path']],
  'os.unlink': [[0, 'path']],
  'os.rmdir': [[0, 'path']],
  'os.removedirs': [[0, 'name']],
  'shutil.rmtree': [[0, 'path']],
  'shutil.copy': [[0, 'src'], [1, 'dst']],
  'shutil.copy2': [[0, 'src'], [1, 'dst']],
  'shutil.copyfile': [[0, 'src'], [1, 'dst']],
  'shutil.copytree': [[0, 'src'], [1, 'dst']],
  'shutil.move': [[0, 'src'], [1, 'dst']],
  'flask.send_file': [[0, 'path_or_file']],
  'flask.helpers.send_file': [[0, 'path_or_file']],
  // The file name is joined safely (safe_join) by Flask itself: only the directory is a sink.
  'flask.send_from_directory': [[0, 'directory']],
  'flask.helpers.send_from_directory': [[0, 'directory']],
};

const PATH_CLASSES = new Set([
  'pathlib.Path',
  'pathlib.PurePath',
  'pathlib.PosixPath',
  'pathlib.WindowsPath',
]);

/** Methods of a path object that touch the file system. */
const PATH_METHODS = new Set([
  'open',
  'read_text',
  'read_bytes',
  'write_text',
  'write_bytes',
  'unlink',
  'rmdir',
  'touch',
  'mkdir',
  'rename',
  'replace',
]);

/** Calls that return a path confined to a base directory. */
const SAFE_JOINS = new Set([
  'werkzeug.utils.safe_join',
  'werkzeug.security.safe_join',
  'flask.safe_join',
  'flask.helpers.safe_join',
  'django.utils._os.safe_join',
]);

/** Calls that put their later arguments under the first. */
const JOINS = new Set(['os.path.join', 'posixpath.join', 'ntpath.join', ...PATH_CLASSES]);

/** Names of calls that, in the same function, show the path is being confined to a directory. */
const CONTAINMENT_CHECKS = new Set(['commonpath', 'is_relative_to', 'relative_to', 'safe_join']);
const NORMALIZERS = new Set(['realpath', 'abspath', 'normpath', 'resolve']);

interface Candidate {
  node: SyntaxNode;
  fn: string;
  scope: number;
  flow: FlowStep[];
}

export default createRule({
  meta: {
    id: 'path-traversal',
    area: 'secure-coding',
    summary: 'A file path built from request data is opened, copied or deleted (path traversal).',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-22'],
    owasp: ['A01:2021'],
    messages: {
      traversal:
        '`{{fn}}()` uses a file path built from request data; a value such as `../../etc/passwd` or an absolute path reaches files outside the intended directory.',
    },
    docs: {
      whatItDoes:
        'Flags `open()`, `io.open`, `codecs.open`, `os.open`, `os.remove/unlink/rmdir`, `shutil.rmtree/copy/move`, `pathlib.Path(...).open()/read_text()/...`, `flask.send_file` and the directory argument of `flask.send_from_directory` when the path comes from request data (`request.args`, `request.GET`, uploaded file names, ...). Not flagged: values passed through `secure_filename()`, `os.path.basename()`, `safe_join()` or `int()`; the file-name argument of `send_from_directory` (Flask joins it safely); functions that visibly confine the path (`os.path.commonpath`, `Path.is_relative_to`, `realpath(...).startswith(...)`, a `".." in name` test). A path from the command line (`sys.argv`), `input()`, stdin or the environment belongs to whoever runs the program: it is flagged only when the program puts it under a directory of its own (`f"/var/reports/{name}"`, `os.path.join(BASE, name)`, `Path(root) / name`), since a tool that opens the file it was given does its job.',
      whyBad:
        '`os.path.join("/srv/uploads", name)` does not keep `name` inside `/srv/uploads`: `../../etc/passwd` walks out of it, and an absolute path replaces the base completely. An attacker can then read configuration files and keys, overwrite code, or delete data, with the permissions of the web server.',
      example:
        'import os\nfrom flask import request, send_file\n\n@app.route("/download")\ndef download():\n    return send_file(os.path.join("/srv/files", request.args["name"]))',
      useInstead:
        'from flask import request, send_from_directory\nfrom werkzeug.utils import secure_filename\n\n@app.route("/download")\ndef download():\n    # send_from_directory refuses paths that leave the directory.\n    return send_from_directory("/srv/files", request.args["name"])\n\n# Saving uploads: name = secure_filename(file.filename)',
      fixSafety:
        'No automatic fix: whether to strip directories (`secure_filename`), reject the request, or look the file up by id depends on the application.',
      references: [
        'https://owasp.org/www-community/attacks/Path_Traversal',
        'https://flask.palletsprojects.com/en/stable/api/#flask.send_from_directory',
        'https://werkzeug.palletsprojects.com/en/stable/utils/#werkzeug.utils.secure_filename',
        'https://docs.python.org/3/library/os.path.html#os.path.commonpath',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) =>
    (name !== null && Object.hasOwn(SINKS, name)) ||
    // `p.open()` on a Path: a receiver bound to an import (a resolved callee) is never a Path object.
    (name === null && PATH_METHODS.has(method)) ||
    CONTAINMENT_CHECKS.has(method) ||
    NORMALIZERS.has(method) ||
    method === 'startswith',
  textFilters: {
    // `".." in name`: an `in` test on a string holding `..` (or split over adjacent literals).
    comparison_operator: (text) => /\bin\b/.test(text) && /\.\.|["'][\s\\]*["']/.test(text),
  },
  create(ctx) {
    const candidates: Candidate[] = [];
    /** Functions (node id; 0 for the module) that confine paths, and that normalise them. */
    const confining = new Set<number>();
    const normalizing = new Set<number>();
    const startsWith = new Set<number>();
    const scopeId = (node: SyntaxNode): number => enclosingFunction(node)?.id ?? 0;

    function isSafe(n: SyntaxNode): boolean {
      if (n.type === 'call') {
        const name = ctx.calleeName(n);
        return name !== null && SAFE_JOINS.has(name);
      }
      if (n.type === 'attribute') {
        // Path(x).name is the last component only, like os.path.basename.
        const attr = n.childForFieldName('attribute')?.text;
        const obj = n.childForFieldName('object');
        return (attr === 'name' || attr === 'stem') && !!obj && isPathObject(obj);
      }
      return false;
    }

    /** The flow when attacker data reaches the path (and no rule-specific safe producer wraps it). */
    function tainted(node: SyntaxNode | null): FlowStep[] | null {
      if (!node) return null;
      const n = unparen(node);
      if (isSafe(n) || !mayHaveSources(ctx)) return null;
      const r = taintAt(ctx, n, 'path');
      if (!r?.tainted) return null;
      // A path from the command line, the terminal or the environment is the user's own choice
      // (`open(sys.argv[1])` is what a CLI is for); it is traversal only when the program puts
      // it under a directory of its own, which `../` then escapes.
      if (isLocalSource(r) && !underBase(n)) return null;
      return [...r.flow, { range: rangeOf(n), message: 'reaches the file system' }];
    }

    const isTaintedPath = (node: SyntaxNode): boolean => taintAt(ctx, unparen(node), 'path')?.tainted === true;
    const hasSeparator = (text: string): boolean => /[\\/]/.test(text);

    /**
     * Is this path the tainted part placed under a base the program chose: a literal directory
     * (`f"/var/reports/{name}"`, `"data/" + name`), an untainted base (`BASE + name`,
     * `os.path.join(root, name)`, `Path(root) / name`)? Names bound once are followed.
     */
    function underBase(node: SyntaxNode, depth = 0): boolean {
      const n = unparen(node);
      if (depth > 4) return false;
      switch (n.type) {
        case 'identifier': {
          const v = ctx.valueOf(n);
          return !!v && v.id !== n.id && underBase(v, depth + 1);
        }
        case 'string': {
          let literal = '';
          for (const part of n.namedChildren) {
            if (part.type === 'interpolation') {
              const e = part.namedChildren[0];
              return hasSeparator(literal) || (!!e && !isTaintedPath(e));
            }
            if (part.type === 'string_content' || part.type === 'escape_sequence') literal += part.text;
          }
          return false;
        }
        case 'binary_operator': {
          const op = n.child(1)?.type;
          const left = n.childForFieldName('left');
          if (!left) return false;
          if (op === '%') return hasSeparator((stringValue(left) ?? '').split('%')[0] ?? '');
          if (op !== '+' && op !== '/') return false;
          const l = unparen(left);
          if (l.type === 'binary_operator' && l.child(1)?.type === op) return underBase(l, depth + 1);
          const text = stringValue(l);
          if (text !== null) return hasSeparator(text);
          return !isTaintedPath(l);
        }
        case 'call': {
          const name = ctx.calleeName(n);
          const args = (n.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
          if (name && JOINS.has(name)) return args.length >= 2 && !!args[0] && args[0].type !== 'keyword_argument' && !isTaintedPath(args[0]);
          const fn = n.childForFieldName('function');
          if (fn?.type !== 'attribute') return false;
          const method = fn.childForFieldName('attribute')?.text;
          const obj = fn.childForFieldName('object');
          if (!obj) return false;
          if (method === 'format') return hasSeparator((stringValue(obj) ?? '').split('{')[0] ?? '');
          if (method === 'joinpath') return !isTaintedPath(obj);
          return false;
        }
        default:
          return false;
      }
    }

    /** `Path(x)`, `Path(base) / x`, or a name bound once to one of those. */
    function isPathObject(node: SyntaxNode, depth = 0): boolean {
      if (depth > 4) return false;
      const n = unparen(node);
      if (n.type === 'identifier') {
        const v = ctx.valueOf(n);
        return !!v && v.id !== n.id && isPathObject(v, depth + 1);
      }
      if (n.type === 'call') {
        const name = ctx.calleeName(n);
        return name !== null && PATH_CLASSES.has(name);
      }
      if (n.type === 'binary_operator' && n.child(1)?.type === '/') {
        const left = n.childForFieldName('left');
        return !!left && isPathObject(left, depth + 1);
      }
      return false;
    }

    function recordCheck(node: SyntaxNode): void {
      const fn = node.childForFieldName('function');
      const name = terminalName(fn);
      if (!name) return;
      if (CONTAINMENT_CHECKS.has(name)) confining.add(scopeId(node));
      else if (NORMALIZERS.has(name)) normalizing.add(scopeId(node));
      else if (name === 'startswith') startsWith.add(scopeId(node));
    }

    return {
      call(node) {
        recordCheck(node);
        const name = ctx.calleeName(node);
        const sink = name ? SINKS[name] : undefined;
        if (name && sink) {
          for (const [i, kw] of sink) {
            const flow = tainted(argument(node, i, kw));
            if (flow) {
              candidates.push({ node, fn: name, scope: scopeId(node), flow });
              break;
            }
          }
          return;
        }
        const fn = node.childForFieldName('function');
        if (fn?.type !== 'attribute') return;
        const method = fn.childForFieldName('attribute')?.text;
        const obj = fn.childForFieldName('object');
        if (!method || !PATH_METHODS.has(method) || !obj || !isPathObject(obj)) return;
        const flow = tainted(obj);
        if (flow) candidates.push({ node, fn: `pathlib.Path.${method}`, scope: scopeId(node), flow });
      },
      comparison_operator(node) {
        // `if ".." in name: abort(400)`
        const left = node.namedChildren[0];
        if (left && node.children.some((c) => c.type === 'in' || c.type === 'not in') && (stringValue(left) ?? '').includes('..')) {
          confining.add(scopeId(node));
        }
      },
      'module:exit'() {
        for (const c of candidates) {
          if (confining.has(c.scope) || (normalizing.has(c.scope) && startsWith.has(c.scope))) continue;
          ctx.report({ node: c.node, messageId: 'traversal', data: { fn: c.fn }, flow: c.flow });
        }
      },
    };
  },
});
