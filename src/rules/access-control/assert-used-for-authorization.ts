import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { snakeCase, stringValue, terminalName, unparen } from '../../python/ast.js';
import { isTestPath } from '../../python/module-info.js';
import { secretNameKind } from '../../python/secrets.js';

/** Attributes and predicates that answer "who is this user and what may they do". */
const AUTH_ATTRIBUTES = new Set([
  'is_admin', 'is_superuser', 'is_staff', 'is_authenticated', 'is_anonymous', 'is_owner', 'is_moderator',
  'is_authorized', 'is_allowed', 'is_permitted', 'is_logged_in', 'logged_in', 'authenticated', 'is_root',
]);

/** Called predicates: `has_perm(...)`, `user.has_role("admin")`, `can_edit(obj)`, `check_permission(...)`. */
const AUTH_CALL =
  /^(?:has_(?:perm|perms|permission|permissions|role|roles|access|privilege|privileges|scope|scopes|object_permission|module_perms)|is_(?:admin|superuser|staff|authenticated|authorized|allowed|permitted|owner|moderator|member_of|in_group|in_role|granted|logged_in)|check_(?:perm|perms|permission|permissions|access|auth|authorization|password|token|credentials|signature|api_key|role)|verify_(?:password|token|signature|credentials|api_key|auth|jwt)|can_[a-z_]+|user_can|is_granted|permits|compare_digest|check_password)$/;

/** Names of values holding a role or permissions: `user.role == "admin"`, `"admin" in user.groups`. */
const ROLE_WORDS = new Set(['role', 'roles', 'permission', 'permissions', 'perms', 'privilege', 'privileges', 'access_level', 'user_type', 'usertype', 'user_role']);
/** Containers a role may be looked up in (`"admin" in user.groups`). */
const ROLE_CONTAINERS = new Set([...ROLE_WORDS, 'groups', 'group_names', 'scopes']);

/** Names of the current user: an ownership check compares something with them. */
function isCurrentUser(node: SyntaxNode): boolean {
  const n = unparen(node);
  if (n.type === 'identifier') return n.text === 'current_user';
  if (n.type === 'attribute') {
    const obj = n.childForFieldName('object');
    const attr = n.childForFieldName('attribute')?.text;
    if (attr === 'user' && obj && (obj.text === 'request' || obj.text === 'g' || obj.text === 'self.request')) return true;
    // `request.user.id`, `current_user.id`
    if (obj && (attr === 'id' || attr === 'pk' || attr === 'username')) return isCurrentUser(obj);
  }
  return false;
}

/** `owner`, `owner_id`, `author_id`, `created_by`, `user_id` of some object (also `obj.owner.id`). */
function isOwnerField(node: SyntaxNode): boolean {
  const n = unparen(node);
  const name = terminalName(n);
  if (!name) return false;
  if ((name === 'id' || name === 'pk') && n.type === 'attribute') {
    const obj = n.childForFieldName('object');
    return !!obj && isOwnerField(obj);
  }
  return /^(?:owner|owner_id|author|author_id|created_by|created_by_id|user_id|owner_username)$/.test(name);
}

function words(name: string): string[] {
  return snakeCase(name).split(/[^a-z0-9]+/).filter(Boolean);
}

/** The name a comparison operand refers to: `user.role` → role, `data["token"]` → token. */
function operandName(node: SyntaxNode): string | null {
  const n = unparen(node);
  if (n.type === 'identifier' || n.type === 'attribute') return terminalName(n);
  if (n.type === 'subscript') return stringValue(n.childForFieldName('subscript'));
  if (n.type === 'call') {
    // `request.headers.get("X-Api-Key")`
    const fn = n.childForFieldName('function');
    if (fn?.type === 'attribute' && terminalName(fn) === 'get') {
      const args = n.childForFieldName('arguments');
      const first = args?.namedChildren[0];
      return first ? stringValue(first) : null;
    }
  }
  return null;
}

function isRoleName(name: string | null, vocabulary: Set<string> = ROLE_WORDS): boolean {
  if (!name || /^[A-Z0-9_]+$/.test(name)) return false; // `ROLES`: a constant table, not the user's role
  const w = words(name);
  const last = w[w.length - 1];
  return last !== undefined && vocabulary.has(last) && !w.includes('count') && !w.includes('valid');
}

function credentialKind(name: string | null): 'password' | 'secret' | null {
  if (!name) return null;
  const kind = secretNameKind(name);
  if (kind) return kind;
  return /^(?:signature|sig|hmac|expected_signature|otp|totp|otp_code)$/.test(snakeCase(name)) ? 'secret' : null;
}

type Finding = { what: string };

/** What in the condition makes it an authorization check, or null. */
function authorizationCheck(cond: SyntaxNode): Finding | null {
  const stack: SyntaxNode[] = [cond];
  let budget = 100;
  while (stack.length > 0 && budget-- > 0) {
    const n = unparen(stack.pop() as SyntaxNode);
    switch (n.type) {
      case 'not_operator':
      case 'boolean_operator':
        for (const c of n.namedChildren) stack.push(c);
        continue;
      case 'attribute': {
        const attr = terminalName(n);
        const obj = n.childForFieldName('object');
        if (attr && AUTH_ATTRIBUTES.has(attr) && obj?.text !== 'self') return { what: n.text };
        continue;
      }
      case 'identifier':
        if (AUTH_ATTRIBUTES.has(n.text) && n.text.startsWith('is_')) return { what: n.text };
        continue;
      case 'call': {
        const fn = n.childForFieldName('function');
        const name = terminalName(fn);
        if (!fn || !name) continue;
        if (fn.type === 'attribute' && fn.childForFieldName('object')?.text === 'self' && !name.startsWith('check_')) continue;
        if (AUTH_CALL.test(name)) return { what: `${fn.text}(...)` };
        // `user.is_admin()` style methods.
        if (AUTH_ATTRIBUTES.has(name) && fn.type === 'attribute') return { what: `${fn.text}()` };
        continue;
      }
      case 'comparison_operator': {
        const operands = n.namedChildren.filter((c) => c.type !== 'comment');
        const ops = n.children.filter((c) => !c.isNamed).map((c) => c.type);
        // `x is None` / `x is not None`: a presence check, not a decision about access.
        if (operands.some((o) => unparen(o).type === 'none')) continue;
        if (ops.some((o) => o === 'in' || o === 'not in')) {
          // `"admin" in user.roles`, `perm in request.user.permissions`
          const container = operands[operands.length - 1];
          if (container && isRoleName(operandName(container), ROLE_CONTAINERS)) return { what: n.text };
          continue;
        }
        for (const o of operands) {
          if (isRoleName(operandName(o))) return { what: n.text };
        }
        if (operands.some(isCurrentUser) && operands.some(isOwnerField)) return { what: n.text };
        // `token == expected`, `request.headers.get("X-Api-Key") == settings.API_KEY`
        if (ops.includes('==') || ops.includes('!=')) {
          const kinds = operands.map((o) => credentialKind(operandName(o)));
          // `password == confirm_password`: a form check on two user inputs, not an access decision.
          if (kinds.some((k) => k !== null) && !kinds.every((k) => k === 'password')) return { what: n.text };
        }
        continue;
      }
      default:
        continue;
    }
  }
  return null;
}

/** Inside a class whose name says it is a test case. */
function inTestClass(node: SyntaxNode): boolean {
  for (let n = node.parent; n; n = n.parent) {
    if (n.type === 'class_definition' && /^Test|Test(?:s|Case)?$/.test(n.childForFieldName('name')?.text ?? '')) return true;
    if (n.type === 'function_definition' && /^test_/.test(n.childForFieldName('name')?.text ?? '')) return true;
  }
  return false;
}

export default createRule({
  meta: {
    id: 'assert-used-for-authorization',
    area: 'access-control',
    summary: 'An `assert` statement enforces authentication or authorization; `python -O` removes it.',
    severity: 'medium',
    confidence: 'high',
    cwe: ['CWE-617', 'CWE-285'],
    owasp: ['A01:2021'],
    bandit: ['B101'],
    ruff: ['S101'],
    messages: {
      assert:
        '`assert {{what}}` is an access check, but Python removes assert statements when run with `-O` (or `PYTHONOPTIMIZE`), and then every user passes; raise an exception (e.g. `PermissionDenied`) instead.',
    },
    docs: {
      whatItDoes:
        'Flags `assert` statements outside test code whose condition decides access: user flags (`is_admin`, `is_superuser`, `is_staff`, `is_authenticated`...), permission predicates (`has_perm(...)`, `has_permission(...)`, `can_edit(...)`, `check_permission(...)`, `hmac.compare_digest(...)`), role and group checks (`user.role == "admin"`, `"admin" in user.groups`), ownership checks against the current user (`obj.owner == request.user`) and comparisons of tokens, API keys, passwords or signatures (`token == expected`). Asserts on types, lengths, `is None`, and other internal invariants are not flagged, nor is anything in test files (paths such as `tests/`, `test_*.py`, `conftest.py`) or test classes.',
      whyBad:
        'An `assert` is a debugging aid: the interpreter drops every assert statement when optimizations are on (`python -O`, `PYTHONOPTIMIZE=1`, some packaging and container setups). A permission check written as an assert then silently disappears, and every user, logged in or not, gets through. Even when asserts are kept, the `AssertionError` usually becomes a 500 error instead of a clean 403.',
      example:
        'def delete_user(request, user_id):\n    assert request.user.is_superuser, "admins only"\n    User.objects.filter(pk=user_id).delete()',
      useInstead:
        'from django.core.exceptions import PermissionDenied\n\ndef delete_user(request, user_id):\n    if not request.user.is_superuser:\n        raise PermissionDenied("admins only")\n    User.objects.filter(pk=user_id).delete()',
      fixSafety:
        'No automatic fix: the right exception (`PermissionDenied`, `abort(403)`, `HTTPException(status_code=403)`) depends on the framework, and replacing the `AssertionError` changes what callers catch.',
      references: [
        'https://docs.python.org/3/reference/simple_stmts.html#the-assert-statement',
        'https://docs.python.org/3/using/cmdline.html#cmdoption-O',
        'https://bandit.readthedocs.io/en/latest/plugins/b101_assert_used.html',
        'https://cheatsheetseries.owasp.org/cheatsheets/Authorization_Cheat_Sheet.html',
      ],
    },
    fixable: false,
  },
  textFilters: {
    // Some name `authorizationCheck` can act on: an AUTH_ATTRIBUTES/AUTH_CALL name, a role or
    // permission container, the current user or an owner field, or a credential name.
    assert_statement: (text) =>
      /is_|logged_in|authenticated|has_|check_|verify_|can_|permits|compare_digest|role|perm|privilege|access_level|user|group|scope|owner|author|created_by|pass|pw|secret|token|key|credential|sig|hmac|otp/i.test(
        text,
      ),
  },
  create(ctx) {
    if (isTestPath(ctx.path)) return {};
    return {
      assert_statement(node) {
        const cond = node.namedChildren.find((c) => c.type !== 'comment');
        if (!cond || inTestClass(node)) return;
        const found = authorizationCheck(cond);
        if (!found) return;
        const what = found.what.length > 60 ? `${found.what.slice(0, 57)}...` : found.what;
        ctx.report({ node, messageId: 'assert', data: { what: what.replace(/\s+/g, ' ') } });
      },
    };
  },
});
