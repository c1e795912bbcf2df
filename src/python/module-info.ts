/**
 * Small facts about where a node sits in its module, shared by framework rules:
 * does the module import a package, is a statement at module level, is it guarded by
 * `if __name__ == "__main__":`.
 */
import type { RuleContext } from '../core/context.js';
import type { SyntaxNode } from './parser.js';
import { stringValue, unparen } from './ast.js';

/**
 * True when the module imports `pkg` or anything under it at module level
 * (`import flask`, `from flask import Flask`, `from flask.app import *`).
 */
export function importsPackage(ctx: RuleContext, pkg: string): boolean {
  const module = ctx.scopeOf(ctx.root);
  const under = (q: string): boolean => q === pkg || q.startsWith(`${pkg}.`);
  for (const q of module.imports.values()) if (under(q)) return true;
  return module.wildcardImports.some(under);
}

/**
 * True when `node` is part of a statement directly in the module body (not inside a
 * function, class, or any compound statement such as `if`/`try`/`with`).
 */
export function isModuleLevel(node: SyntaxNode): boolean {
  let n: SyntaxNode = node;
  while (n.parent && n.parent.type !== 'block' && n.parent.type !== 'module') n = n.parent;
  return n.parent?.type === 'module';
}

/**
 * True when `node` is inside module-level `if __name__ == "__main__":` (the script entry
 * point, not run when the module is imported by a WSGI server).
 */
export function underMainGuard(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'function_definition' || n.type === 'class_definition') return false;
    if (n.type === 'block' && n.parent?.type === 'if_statement' && n.parent.childForFieldName('consequence')?.id === n.id) {
      if (isMainCheck(n.parent.childForFieldName('condition'))) return true;
    }
  }
  return false;
}

function isMainCheck(cond: SyntaxNode | null): boolean {
  if (!cond) return false;
  const c = unparen(cond);
  if (c.type !== 'comparison_operator' || c.namedChildCount !== 2) return false;
  const op = c.child(1)?.type;
  if (op !== '==') return false;
  const [a, b] = [c.namedChild(0), c.namedChild(1)];
  const isName = (x: SyntaxNode | null): boolean => x?.type === 'identifier' && x.text === '__name__';
  const isMain = (x: SyntaxNode | null): boolean => stringValue(x) === '__main__';
  return (isName(a) && isMain(b)) || (isName(b) && isMain(a));
}

/**
 * Test code, by path: rules that expect fake credentials, disabled CSRF or predictable
 * randomness in tests use this one definition. Folders `tests/`, `test/`, `testing/`,
 * `__tests__/`, `fixtures/`; files `test_*.py`, `*_test(s).py`, `conftest.py`, `tests.py`,
 * `test_utils.py` / `testutils.py`.
 */
export function isTestPath(path: string): boolean {
  return (
    /(?:^|[\\/])(?:tests?|testing|__tests__|fixtures?)[\\/]/i.test(path) ||
    /(?:^|[\\/])(?:test_[^\\/]*|[^\\/]*_tests?|conftest|tests?|testing|test_?utils?|testutils)\.py$/i.test(path)
  );
}
