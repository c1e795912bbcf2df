import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { decoratorExpression, enclosingFunction, intValue, positionalArgs, snakeCase } from '../../python/ast.js';
import { isTestPath } from '../../python/module-info.js';
import {
  UNSAFE_METHODS,
  handlerGuards,
  isBeforeRequestHook,
  routeHandler,
  routerHasDependencies,
  type GuardInfo,
  type RouteHandler,
} from '../../python/frameworks.js';

/** Handlers that are public by nature: authentication itself, health checks, webhooks, public pages. */
const PUBLIC =
  /(?:^|_)(?:log_?in|log_?out|sign_?in|sign_?out|sign_?up|register|registration|password|passwd|forgot|reset|health|healthz|healthcheck|ping|status|ready|readiness|live|liveness|metrics|webhooks?|hooks?|callback|public|anonymous|oauth2?|sso|saml|auth|authenticate|authorize|token|tokens|refresh|verify|verification|confirm|confirmation|activate|activation|invite|invitation|unsubscribe|subscribe|newsletter|contact|feedback|captcha|csrf|robots|sitemap|favicon|static)(?:_|$)/;

/** Handler names that read as state changes even without a method list. */
const MUTATING_NAME = /^(?:delete|update|create|remove|edit|admin|set|destroy|modify|change|ban|grant|revoke|approve|reject)(?:_|$)/;

/** Handlers that hand out secrets: unguarded, even a GET is as bad as a write. */
const SECRET_READ = /(?:^|_)(?:api_?keys?|secrets?|credentials?|private_?keys?)(?:_|$)/;

/** Attributes whose use in a handler body is an authentication or authorization check. */
const AUTH_ATTRS = new Set([
  'is_authenticated', 'is_anonymous', 'has_perm', 'has_perms', 'has_role', 'has_permission', 'is_staff',
  'is_superuser', 'is_admin',
]);
/** Calls in a handler body that check authentication (Flask-JWT-Extended, Flask-Login helpers). */
const AUTH_CALLS = new Set([
  'flask_jwt_extended.verify_jwt_in_request',
  'flask_jwt_extended.verify_fresh_jwt_in_request',
  'django.contrib.auth.views.redirect_to_login',
]);
const ABORT = new Set(['flask.abort', 'werkzeug.exceptions.abort', 'quart.abort']);
/** `raise PermissionDenied`, `raise HTTPException(status_code=403)`, `raise Unauthorized()`. */
const AUTH_RAISE = /PermissionDenied|Forbidden|Unauthori[sz]ed|NotAuthenticated|AuthenticationFailed|\b40[13]\b|HTTP_40[13]/;

function words(text: string): string {
  return snakeCase(text).replace(/[^a-z0-9]+/g, '_');
}

/** Creating a user or account is usually the API's sign-up endpoint (`POST /users`, `create_user`). */
const SIGNUP_NAME = /^(?:create|add|new)_(?:user|account|member|customer)s?$/;
const SIGNUP_PATH = /\/(?:users|accounts|members|customers)\/?$/;

function isPublic(h: RouteHandler, adminArea: boolean): boolean {
  if (PUBLIC.test(words(h.name))) return true;
  if (h.paths.some((p) => p.split('/').some((segment) => PUBLIC.test(words(segment))))) return true;
  // Sign-up through a REST collection, unless the module is an admin area.
  if (adminArea) return false;
  const posts = h.methods?.includes('POST') ?? false;
  return SIGNUP_NAME.test(snakeCase(h.name)) || (posts && h.paths.some((p) => SIGNUP_PATH.test(p)));
}

/** An admin area: the file or the blueprint/router is named for administration. */
function isAdminArea(path: string, h: RouteHandler): boolean {
  return /admin/i.test(path) || /admin/i.test(h.receiver?.text ?? '') || h.paths.some((p) => /admin/i.test(p));
}

function exposesSecrets(h: RouteHandler): boolean {
  if (SECRET_READ.test(words(h.name))) return true;
  return h.paths.some((p) => p.split('/').some((segment) => SECRET_READ.test(words(segment))));
}

function changesState(h: RouteHandler, djangoWrites: boolean): boolean {
  if (h.methods?.some((m) => UNSAFE_METHODS.has(m))) return true;
  if (h.framework === 'django' && h.methods === null && djangoWrites) return true;
  return MUTATING_NAME.test(snakeCase(h.name).replace(/^_+/, ''));
}

function describe(h: RouteHandler): string {
  const unsafe = h.methods?.filter((m) => UNSAFE_METHODS.has(m)) ?? [];
  const path = h.paths[0];
  if (unsafe.length > 0 && path !== undefined) return `handles \`${unsafe.join('/')} ${path}\``;
  if (unsafe.length === 0 && exposesSecrets(h)) return 'hands out keys or secrets';
  return 'changes state';
}

export default createRule({
  meta: {
    id: 'route-missing-auth',
    area: 'access-control',
    summary: 'A state-changing route has no authentication check while the other routes of its module do.',
    severity: 'high',
    confidence: 'medium',
    cwe: ['CWE-862'],
    owasp: ['A01:2021'],
    messages: {
      missing:
        '`{{name}}` {{what}} without an authentication check, while {{count}} other handlers in this module are protected by `{{guard}}`: anyone may be able to call it.',
    },
    docs: {
      whatItDoes:
        'Compares the HTTP handlers of a module with each other. When most of them carry an authentication or authorization guard and at least two use the same one, a handler that changes state (a POST/PUT/PATCH/DELETE route, a Django view that reads `request.POST` or tests `request.method`, or a handler named `delete_*`, `update_*`, `create_*`, `remove_*`, `edit_*`, `set_*`, `admin_*`...) or that hands out secrets (a name or path segment such as `api_key`, `secret`, `credentials`, whatever the method) but has no guard is reported. Handlers are Flask and Blueprint routes, FastAPI and APIRouter routes, and Django function views. Guards are decorators such as `login_required`, `permission_required`, `user_passes_test`, `staff_member_required`, `jwt_required`, `auth.login_required`, `roles_required`, or any resolved decorator whose name reads as an auth check (`*login_required*`, `*auth*`, `*permission*`, `*role*`, `admin_required`); FastAPI `Depends(...)`/`Security(...)` parameters and route `dependencies=[...]` whose callable\'s name mentions user, auth, token or current; and checks in the handler body (`request.user.is_authenticated`, `has_perm`, `abort(401/403)`, `raise PermissionDenied`, `verify_jwt_in_request()`). Not reported: login, logout, registration, password-reset, token, OAuth, health, webhook and other public-looking handlers (by name or path segment, which are also left out of the majority count), including user/account creation through a REST collection (`create_user`, `POST /users`: usually the API\'s sign-up) outside admin modules; modules with a Flask `before_request` hook or FastAPI routers/apps created with `dependencies=[...]` (a guard for every route); handlers carrying a decorator or dependency that none of the guarded neighbours use (it may be a project-specific guard); class-based views; test modules.',
      whyBad:
        'Missing function-level access control is the most common web vulnerability class (OWASP A01). When every other route in a file is protected, an unprotected one is usually an oversight — a new endpoint copied without its decorator, a guard removed while debugging — and it lets anonymous users create, change or delete data, or reach admin functionality, simply by calling the URL.',
      example:
        'from flask import Blueprint\nfrom flask_login import login_required\n\nbp = Blueprint("posts", __name__)\n\n@bp.route("/posts", methods=["POST"])\n@login_required\ndef create_post(): ...\n\n@bp.route("/posts/<int:id>", methods=["PUT"])\n@login_required\ndef update_post(id): ...\n\n@bp.route("/posts/<int:id>", methods=["DELETE"])\ndef delete_post(id): ...',
      useInstead:
        'from flask import Blueprint\nfrom flask_login import login_required\n\nbp = Blueprint("posts", __name__)\n\n@bp.route("/posts", methods=["POST"])\n@login_required\ndef create_post(): ...\n\n@bp.route("/posts/<int:id>", methods=["PUT"])\n@login_required\ndef update_post(id): ...\n\n@bp.route("/posts/<int:id>", methods=["DELETE"])\n@login_required\ndef delete_post(id): ...',
      fixSafety:
        'No automatic fix: the right guard (log-in only, a role, an object-level ownership check) depends on the endpoint. If the handler is public on purpose, say so with `# pysec: ignore[route-missing-auth]` and a reason; a guard applied to the whole blueprint or router (`before_request`, `APIRouter(dependencies=[...])`) also documents the intent and protects future routes.',
      references: [
        'https://owasp.org/Top10/A01_2021-Broken_Access_Control/',
        'https://cheatsheetseries.owasp.org/cheatsheets/Authorization_Cheat_Sheet.html',
        'https://flask-login.readthedocs.io/en/latest/#protecting-views',
        'https://docs.djangoproject.com/en/stable/topics/auth/default/#the-login-required-decorator',
        'https://fastapi.tiangolo.com/tutorial/security/get-current-user/',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) =>
    (name !== null && (AUTH_CALLS.has(name) || ABORT.has(name))) || /^before_(?:app_)?request$/.test(method),
  textFilters: {
    attribute: (text) => /\.(?:is_authenticated|is_anonymous|has_perms?|has_role|has_permission|is_staff|is_superuser|is_admin|POST|method|FILES)$/.test(text),
    decorator: (text) => /before_(?:app_)?request/.test(text),
    raise_statement: (text) => AUTH_RAISE.test(text),
  },
  create(ctx) {
    if (isTestPath(ctx.path)) return {};
    const defs: SyntaxNode[] = [];
    /** Functions (by node id) whose body checks authentication. */
    const bodyChecked = new Set<number>();
    /** Django views (by node id) that read POST data or test the request method. */
    const djangoWrites = new Set<number>();
    let beforeRequest = false;

    const markBody = (node: SyntaxNode): void => {
      const fn = enclosingFunction(node);
      if (fn) bodyChecked.add(fn.id);
    };

    return {
      function_definition(node) {
        defs.push(node);
      },
      decorator(node) {
        const e = decoratorExpression(node);
        if (e && isBeforeRequestHook(e)) beforeRequest = true;
      },
      call(node) {
        const name = ctx.calleeName(node);
        if (name !== null && AUTH_CALLS.has(name)) markBody(node);
        else if (name !== null && ABORT.has(name)) {
          const code = intValue(positionalArgs(node)[0] ?? null);
          if (code === 401 || code === 403) markBody(node);
        } else if (isBeforeRequestHook(node)) beforeRequest = true;
      },
      attribute(node) {
        const attr = node.childForFieldName('attribute')?.text ?? '';
        if (AUTH_ATTRS.has(attr)) {
          markBody(node);
          return;
        }
        const obj = node.childForFieldName('object');
        if (obj?.type !== 'identifier' || obj.text !== 'request') return;
        if (attr === 'POST' || attr === 'FILES') {
          const fn = enclosingFunction(node);
          if (fn) djangoWrites.add(fn.id);
        } else if (attr === 'method' && node.parent?.type === 'comparison_operator') {
          const other = node.parent.namedChildren.find((c) => c.id !== node.id);
          const text = other?.text.toUpperCase() ?? '';
          if (/POST|PUT|PATCH|DELETE/.test(text)) {
            const fn = enclosingFunction(node);
            if (fn) djangoWrites.add(fn.id);
          }
        }
      },
      raise_statement(node) {
        if (AUTH_RAISE.test(node.text)) markBody(node);
      },
      'module:exit'() {
        const handlers: { h: RouteHandler; g: GuardInfo; guarded: boolean }[] = [];
        for (const def of defs) {
          const h = routeHandler(ctx, def);
          if (!h || isPublic(h, isAdminArea(ctx.path, h))) continue;
          const g = handlerGuards(ctx, h);
          handlers.push({ h, g, guarded: g.guards.size > 0 || bodyChecked.has(def.id) });
        }
        const guarded = handlers.filter((x) => x.guarded);
        if (guarded.length < 2 || guarded.length * 2 <= handlers.length) return;
        // The guard the neighbours share most.
        const uses = new Map<string, { count: number; text: string }>();
        for (const x of guarded) {
          for (const [key, text] of x.g.guards) {
            const u = uses.get(key) ?? { count: 0, text };
            u.count++;
            uses.set(key, u);
          }
        }
        let best: { count: number; text: string } | null = null;
        for (const u of uses.values()) if (!best || u.count > best.count) best = u;
        if (!best || best.count < 2) return;
        const neighbourOthers = new Set<string>();
        for (const x of guarded) for (const o of x.g.others) neighbourOthers.add(o);

        for (const { h, g, guarded: isGuarded } of handlers) {
          if (isGuarded || !(changesState(h, djangoWrites.has(h.def.id)) || exposesSecrets(h))) continue;
          if (h.framework === 'flask' && beforeRequest) continue;
          if (h.framework === 'fastapi' && routerHasDependencies(ctx, h.receiver)) continue;
          if ([...g.others].some((o) => !neighbourOthers.has(o))) continue;
          const nameNode = h.def.childForFieldName('name') ?? h.def;
          ctx.report({
            node: nameNode,
            messageId: 'missing',
            data: { name: h.name, what: describe(h), count: best.count, guard: best.text },
          });
        }
      },
    };
  },
});
