/**
 * Route and view detection for the common Python web frameworks, shared by access-control
 * rules: which functions are HTTP handlers, for which methods and path, and which
 * authentication guards (decorators, FastAPI dependencies) they carry.
 *
 * - Flask (and Blueprints): `@app.route("/x", methods=[...])`, `@bp.get/post/put/patch/delete("/x")`.
 * - FastAPI (and APIRouter): `@app.get/post/put/patch/delete("/x")`, `@router.api_route("/x", methods=[...])`.
 * - Django function views: module-level functions whose first parameter is `request`, in a
 *   views module (`views.py`, `*_views.py`, `views/...`) or carrying a Django decorator.
 *
 * The app/router object is recognised when it is bound once to `Flask(...)`, `Blueprint(...)`,
 * `FastAPI(...)` or `APIRouter(...)`; when it is imported from elsewhere (`from . import bp`),
 * a decorator whose first argument is a path literal counts if the module imports the
 * framework. Class-based views are not handlers here: methods are left alone.
 */
import type { RuleContext } from '../core/context.js';
import type { SyntaxNode } from './parser.js';
import { argument, decoratorExpression, decoratorsOf, keywordArg, snakeCase, stringValue, terminalName, unparen } from './ast.js';
import { constantString } from './values.js';
import { importsPackage } from './module-info.js';

export type WebFramework = 'flask' | 'fastapi' | 'django';

export interface RouteHandler {
  /** The `function_definition` node. */
  def: SyntaxNode;
  name: string;
  framework: WebFramework;
  /** Route decorators (a Flask view may carry several); empty for Django views. */
  routeDecorators: SyntaxNode[];
  /** The app/blueprint/router the route is registered on (`app`, `bp`, `router`). */
  receiver: SyntaxNode | null;
  /** Route path literals (`/items/<id>`); empty when unknown. */
  paths: string[];
  /** Upper-case HTTP methods, or null when the handler may serve any method (Django) or they are unknown. */
  methods: string[] | null;
}

const FLASK_APPS = new Set([
  'flask.Flask', 'flask.app.Flask', 'flask.Blueprint', 'flask.blueprints.Blueprint',
  'quart.Quart', 'quart.Blueprint', 'apiflask.APIFlask', 'apiflask.APIBlueprint',
]);
const FASTAPI_APPS = new Set([
  'fastapi.FastAPI', 'fastapi.applications.FastAPI', 'fastapi.APIRouter', 'fastapi.routing.APIRouter',
]);
const METHOD_DECORATORS = new Set(['get', 'post', 'put', 'patch', 'delete']);
const DJANGO_METHOD_DECORATORS: Record<string, string[]> = {
  'django.views.decorators.http.require_POST': ['POST'],
  'django.views.decorators.http.require_GET': ['GET'],
  'django.views.decorators.http.require_safe': ['GET', 'HEAD'],
};
const DJANGO_REQUIRE_METHODS = 'django.views.decorators.http.require_http_methods';

/** HTTP methods that change state on the server. */
export const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Literal list/tuple of strings (through a name bound once), upper-cased; null otherwise. */
function methodList(ctx: RuleContext, node: SyntaxNode | null): string[] | null {
  if (!node) return null;
  let n = unparen(node);
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    if (!v || v.id === n.id) return null;
    n = unparen(v);
  }
  if (n.type !== 'list' && n.type !== 'tuple' && n.type !== 'set') return null;
  const out: string[] = [];
  for (const c of n.namedChildren) {
    if (c.type === 'comment') continue;
    const s = constantString(ctx, c);
    if (s === null) return null;
    out.push(s.toUpperCase());
  }
  return out;
}

/** Which framework an app/router object belongs to, or null when it is something else. */
function receiverFramework(ctx: RuleContext, receiver: SyntaxNode, method: string, firstArg: SyntaxNode | null): WebFramework | null {
  const made = ctx.constructedBy(receiver);
  if (made !== null) {
    if (FLASK_APPS.has(made)) return 'flask';
    if (FASTAPI_APPS.has(made)) return 'fastapi';
    return null;
  }
  // An app or blueprint imported from another module of the project: require a path literal.
  if (receiver.type !== 'identifier') return null;
  const r = ctx.resolve(receiver);
  if (r.kind === 'builtin') return null;
  if (r.kind === 'import' && /^(?:flask|fastapi|starlette|django|requests|httpx|aiohttp)(?:\.|$)/.test(r.qualified)) return null;
  const path = stringValue(firstArg);
  if (path === null || (path !== '' && !path.startsWith('/'))) return null;
  const flask = importsPackage(ctx, 'flask') || importsPackage(ctx, 'quart');
  const fastapi = importsPackage(ctx, 'fastapi');
  if (method === 'route') return flask ? 'flask' : null;
  if (method === 'api_route') return fastapi ? 'fastapi' : null;
  if (fastapi && !flask) return 'fastapi';
  if (flask && !fastapi) return 'flask';
  return null;
}

interface RouteDecorator {
  framework: WebFramework;
  receiver: SyntaxNode;
  path: string | null;
  methods: string[] | null;
}

/** `@app.route(...)`, `@router.post(...)`: the route a decorator registers, or null. */
export function routeDecorator(ctx: RuleContext, dec: SyntaxNode): RouteDecorator | null {
  const expr = decoratorExpression(dec);
  const call = expr ? unparen(expr) : null;
  if (call?.type !== 'call') return null;
  const fn = call.childForFieldName('function');
  if (fn?.type !== 'attribute') return null;
  const method = fn.childForFieldName('attribute')?.text ?? '';
  const receiver = fn.childForFieldName('object');
  if (!receiver || !(method === 'route' || method === 'api_route' || METHOD_DECORATORS.has(method))) return null;
  const first = argument(call, 0, method === 'route' ? 'rule' : 'path');
  const framework = receiverFramework(ctx, unparen(receiver), method, first);
  if (!framework) return null;
  if (framework === 'flask' && method === 'api_route') return null;
  if (framework === 'fastapi' && method === 'route') return null;
  let methods: string[] | null;
  if (method === 'route' || method === 'api_route') {
    const kw = keywordArg(call, 'methods');
    methods = kw ? methodList(ctx, kw) : ['GET'];
  } else {
    methods = [method.toUpperCase()];
  }
  return { framework, receiver: unparen(receiver), path: constantString(ctx, first), methods };
}

/** A function defined directly in a class body (a method): not a function view. */
function isMethod(def: SyntaxNode): boolean {
  let p = def.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  return p?.type === 'block' && p.parent?.type === 'class_definition';
}

function isModuleLevelDef(def: SyntaxNode): boolean {
  let p = def.parent;
  if (p?.type === 'decorated_definition') p = p.parent;
  return p?.type === 'module';
}

function firstParameterName(def: SyntaxNode): string | null {
  const params = def.childForFieldName('parameters');
  const first = params?.namedChildren.find((c) => c.type !== 'comment');
  if (!first) return null;
  if (first.type === 'identifier') return first.text;
  if (first.type === 'typed_parameter' || first.type === 'default_parameter' || first.type === 'typed_default_parameter') {
    const name = first.type === 'typed_parameter' ? first.namedChildren.find((c) => c.type === 'identifier') : first.childForFieldName('name');
    return name?.text ?? null;
  }
  return null;
}

const VIEWS_PATH = /(?:^|[\\/])(?:[^\\/]*views?\.py$|views?[\\/])/i;

/** Route/view information for a function definition, or null when it is not an HTTP handler. */
export function routeHandler(ctx: RuleContext, def: SyntaxNode): RouteHandler | null {
  if (def.type !== 'function_definition' || isMethod(def)) return null;
  const name = def.childForFieldName('name')?.text ?? '';
  const decorators = decoratorsOf(def);
  const routes: SyntaxNode[] = [];
  let info: RouteDecorator | null = null;
  const paths: string[] = [];
  let methods: string[] | null = [];
  for (const d of decorators) {
    const r = routeDecorator(ctx, d);
    if (!r) continue;
    routes.push(d);
    info ??= r;
    if (r.path !== null) paths.push(r.path);
    methods = methods && r.methods ? [...methods, ...r.methods] : null;
  }
  if (info) {
    return { def, name, framework: info.framework, routeDecorators: routes, receiver: info.receiver, paths, methods };
  }
  // Django function view.
  if (!isModuleLevelDef(def) || firstParameterName(def) !== 'request' || !importsPackage(ctx, 'django')) return null;
  const qualified = decorators.map((d) => {
    const e = decoratorExpression(d);
    const u = e ? unparen(e) : null;
    return { node: u, name: ctx.qualifiedName(u?.type === 'call' ? u.childForFieldName('function') : u) ?? '' };
  });
  // DRF function views take their permissions from DRF, not from Django decorators.
  if (qualified.some((q) => q.name.startsWith('rest_framework.'))) return null;
  if (!VIEWS_PATH.test(ctx.path) && !qualified.some((q) => q.name.startsWith('django.'))) return null;
  let djangoMethods: string[] | null = null;
  for (const q of qualified) {
    const fixed = DJANGO_METHOD_DECORATORS[q.name];
    if (fixed) djangoMethods = fixed;
    else if (q.name === DJANGO_REQUIRE_METHODS && q.node?.type === 'call') djangoMethods = methodList(ctx, argument(q.node, 0, 'request_method_list'));
  }
  return { def, name, framework: 'django', routeDecorators: [], receiver: null, paths: [], methods: djangoMethods };
}

/** Well-known authentication/authorization decorators, by qualified name. */
const KNOWN_GUARDS = new Set([
  'django.contrib.auth.decorators.login_required',
  'django.contrib.auth.decorators.permission_required',
  'django.contrib.auth.decorators.user_passes_test',
  'django.contrib.admin.views.decorators.staff_member_required',
  'flask_login.login_required',
  'flask_login.fresh_login_required',
  'flask_login.utils.login_required',
  'flask_jwt_extended.jwt_required',
  'flask_jwt_extended.fresh_jwt_required',
  'flask_jwt_extended.jwt_optional',
  'flask_jwt.jwt_required',
  'flask_security.login_required',
  'flask_security.auth_required',
  'flask_security.roles_required',
  'flask_security.roles_accepted',
  'flask_security.permissions_required',
  'flask_security.permissions_accepted',
  'flask_security.decorators.auth_required',
  'flask_user.login_required',
  'flask_user.roles_required',
  'flask_praetorian.auth_required',
  'flask_praetorian.roles_required',
  'flask_praetorian.roles_accepted',
]);

/** Decorator names that read as an authentication or authorization check. */
const GUARD_NAME = /login_required|auth(?!ors?(?:_|$))|permission|(?:^|_)roles?(?:_|$)|admin_required|admin_only|staff_required|superuser_required|staff_only/;

/** Dependency callables (FastAPI `Depends(...)`) whose names read as authentication. */
const GUARD_DEPENDENCY = /user|auth(?!ors?(?:_|$))|token|current|login|permission|(?:^|_)roles?(?:_|$)|admin|jwt|api_?key|credential|scope/;

/** Decorators that never guard anything (caching, CSRF, CORS, rate limits, docs, method filters). */
const NEUTRAL_DECORATOR =
  /^(?:django\.views\.decorators\.|django\.db\.transaction\.|functools\.|flask_cors\.|flasgger\.|flask_caching\.|flask_limiter\.|webargs\.|marshmallow\.|apispec\.|flask_smorest\.|spectree\.|pydantic\.|typing\.|contextlib\.)/;
const NEUTRAL_METHOD = /^(?:cached|memoize|limit|exempt|cross_origin|doc|response|input|output|arguments|expect|marshal_with|marshal_list_with|use_args|use_kwargs|validate|swag_from|atomic|inject|timed|count_exceptions|trace|retry|deprecated|wraps)$/;

export interface GuardInfo {
  /** Guards by key (the qualified or written name), with the text to show in messages. */
  guards: Map<string, string>;
  /** Other decorators and dependencies, by key: unknown ones may be project-specific guards. */
  others: Set<string>;
}

/** Name of a decorator or dependency for comparisons: qualified when it resolves, else as written. */
function guardKey(ctx: RuleContext, node: SyntaxNode): string | null {
  const n = unparen(node);
  const q = ctx.qualifiedName(n);
  if (q !== null) return q;
  // Local functions and objects (`auth = HTTPBasicAuth()`; `@auth.login_required`).
  let head: SyntaxNode | null = n;
  while (head && head.type === 'attribute') head = head.childForFieldName('object');
  if (head?.type !== 'identifier') return null;
  const r = ctx.resolve(head);
  return r.kind === 'unknown' ? null : n.text;
}

function addDependency(ctx: RuleContext, dep: SyntaxNode | null, info: GuardInfo): void {
  if (!dep) return;
  const d = unparen(dep);
  const target = d.type === 'call' ? d.childForFieldName('function') : d;
  if (!target) return;
  const name = terminalName(unparen(target));
  const key = guardKey(ctx, target) ?? target.text;
  if (name !== null && GUARD_DEPENDENCY.test(snakeCase(name))) info.guards.set(key, `Depends(${target.text})`);
  else info.others.add(key);
}

const DEPENDS = new Set(['fastapi.Depends', 'fastapi.Security', 'fastapi.params.Depends', 'fastapi.params.Security', 'fastapi.param_functions.Depends', 'fastapi.param_functions.Security']);

/** `Depends(dep)` / `Security(dep)` calls inside an expression (a default value or `Annotated[...]`). */
function dependsCalls(ctx: RuleContext, node: SyntaxNode | null, out: SyntaxNode[], depth = 0): void {
  if (!node || depth > 4) return;
  const n = unparen(node);
  if (n.type === 'call' && DEPENDS.has(ctx.calleeName(n) ?? '')) {
    out.push(n);
    return;
  }
  if (n.type === 'identifier') {
    // `CurrentUser = Annotated[User, Depends(get_current_user)]`
    const v = ctx.valueOf(n);
    if (v && v.id !== n.id) dependsCalls(ctx, v, out, depth + 1);
    return;
  }
  if (n.type === 'subscript' || n.type === 'type' || n.type === 'generic_type' || n.type === 'list' || n.type === 'tuple' || n.type === 'type_parameter') {
    for (const c of n.namedChildren) dependsCalls(ctx, c, out, depth + 1);
  }
}

/**
 * The guards a handler carries: decorators (known guards, or names that read as auth checks
 * and resolve to an import or a module-local definition) and, for FastAPI, `Depends(...)` /
 * `Security(...)` parameters and route `dependencies=[...]` whose callable's name reads as
 * authentication. An annotation alias imported from elsewhere (`user: CurrentUser`) counts
 * when its name does.
 */
export function handlerGuards(ctx: RuleContext, handler: RouteHandler): GuardInfo {
  const info: GuardInfo = { guards: new Map(), others: new Set() };
  const routeIds = new Set(handler.routeDecorators.map((d) => d.id));
  for (const d of decoratorsOf(handler.def)) {
    if (routeIds.has(d.id)) {
      const e = decoratorExpression(d);
      const call = e ? unparen(e) : null;
      const deps = call?.type === 'call' ? keywordArg(call, 'dependencies') : null;
      const calls: SyntaxNode[] = [];
      if (deps) dependsCalls(ctx, deps, calls);
      for (const c of calls) addDependency(ctx, argument(c, 0, 'dependency'), info);
      continue;
    }
    const e = decoratorExpression(d);
    if (!e) continue;
    const u = unparen(e);
    const target = u.type === 'call' ? u.childForFieldName('function') : u;
    if (!target) continue;
    const key = guardKey(ctx, target);
    const last = terminalName(unparen(target)) ?? '';
    if (key === null) {
      info.others.add(target.text);
      continue;
    }
    if (KNOWN_GUARDS.has(key) || GUARD_NAME.test(snakeCase(last))) info.guards.set(key, target.text);
    else if (!NEUTRAL_DECORATOR.test(key) && !NEUTRAL_METHOD.test(last)) info.others.add(key);
  }
  if (handler.framework === 'fastapi') {
    const params = handler.def.childForFieldName('parameters');
    for (const p of params?.namedChildren ?? []) {
      const calls: SyntaxNode[] = [];
      if (p.type === 'default_parameter' || p.type === 'typed_default_parameter') dependsCalls(ctx, p.childForFieldName('value'), calls);
      const type = p.type === 'typed_parameter' || p.type === 'typed_default_parameter' ? p.childForFieldName('type') : null;
      if (type) {
        const before = calls.length;
        dependsCalls(ctx, type, calls);
        // An alias imported from elsewhere: judge it by its name.
        const alias = unparen(type.namedChild(0) ?? type);
        if (calls.length === before && alias.type === 'identifier' && ctx.resolve(alias).kind === 'import' && GUARD_DEPENDENCY.test(snakeCase(alias.text))) {
          info.guards.set(ctx.qualifiedName(alias) ?? alias.text, alias.text);
        }
      }
      for (const c of calls) {
        const dep = argument(c, 0, 'dependency');
        if (dep) addDependency(ctx, dep, info);
        else if (type) {
          // `user: User = Depends()` depends on the annotation itself.
          addDependency(ctx, unparen(type.namedChild(0) ?? type), info);
        }
      }
    }
  }
  return info;
}

/** True for `FastAPI(dependencies=[...])` / `APIRouter(dependencies=[...])` receivers. */
export function routerHasDependencies(ctx: RuleContext, receiver: SyntaxNode | null): boolean {
  if (!receiver) return false;
  const v = ctx.valueOf(receiver);
  const call = v ? unparen(v) : null;
  return call?.type === 'call' && keywordArg(call, 'dependencies') !== null;
}

/** `@bp.before_request`, `@app.before_app_request`, or `bp.before_request(fn)`: a hook run before every view. */
export function isBeforeRequestHook(node: SyntaxNode): boolean {
  const n = unparen(node);
  const fn = n.type === 'call' ? n.childForFieldName('function') : n;
  return fn?.type === 'attribute' && /^before_(?:app_)?request$/.test(fn.childForFieldName('attribute')?.text ?? '');
}
