import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, hasSplat, isTrue, keywordArg, positionalArgs, stringValue, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';
import { isModuleLevel } from '../../python/module-info.js';

const FLASK_CORS = new Set(['flask_cors.CORS', 'flask_cors.extension.CORS']);
const FLASK_CROSS_ORIGIN = new Set(['flask_cors.cross_origin', 'flask_cors.decorator.cross_origin']);
const CORS_MIDDLEWARE = new Set([
  'starlette.middleware.cors.CORSMiddleware',
  'fastapi.middleware.cors.CORSMiddleware',
]);
const MIDDLEWARE_WRAPPER = new Set(['starlette.middleware.Middleware', 'fastapi.middleware.Middleware']);

/** django-cors-headers settings (the old names are still read by the package). */
const DJANGO_ALLOW_ALL = new Set(['CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL']);
const DJANGO_REGEXES = new Set(['CORS_ALLOWED_ORIGIN_REGEXES', 'CORS_ORIGIN_REGEX_WHITELIST']);
const DJANGO_CREDENTIALS = 'CORS_ALLOW_CREDENTIALS';

/** `True`, or a name bound once to `True`. */
function trueValue(ctx: RuleContext, node: SyntaxNode | null): boolean {
  if (!node) return false;
  const n = unparen(node);
  if (isTrue(n)) return true;
  if (n.type !== 'identifier') return false;
  const v = ctx.valueOf(n);
  return !!v && v.id !== n.id && isTrue(unparen(v));
}

/** A regular expression that matches every origin: `.*`, `^.*$`, `https?://.*`, `.+`. */
export function isAnyOriginRegex(pattern: string): boolean {
  const p = pattern.trim().replace(/^\^/, '').replace(/\$$/, '');
  return /^(?:(?:https?\??|\(https?\|https?\)):\/\/)?\.[*+]$/.test(p);
}

/**
 * Does an origins value allow every origin? `"*"`, `["*"]`, `r".*"` (Flask-CORS treats
 * origin strings as regular expressions). Unknown values are not.
 */
function allowsAnyOrigin(ctx: RuleContext, node: SyntaxNode | null, regex: boolean, depth = 0): boolean {
  if (!node || depth > 3) return false;
  const n = unparen(node);
  const s = constantString(ctx, n);
  if (s !== null) return s.trim() === '*' || (regex && isAnyOriginRegex(s));
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    return !!v && v.id !== n.id && allowsAnyOrigin(ctx, v, regex, depth + 1);
  }
  if (n.type === 'list' || n.type === 'tuple' || n.type === 'set') {
    return n.namedChildren.some((c) => c.type !== 'comment' && allowsAnyOrigin(ctx, c, regex, depth + 1));
  }
  return false;
}

/**
 * Flask-CORS: origins default to `*`. With `resources=`, every resource's options must be
 * readable: a resource without `origins` or with a wildcard counts as any origin.
 */
function flaskAnyOrigin(ctx: RuleContext, call: SyntaxNode, originsIndex: number | null): boolean {
  if (hasSplat(call)) return false;
  const origins = originsIndex === null ? keywordArg(call, 'origins') : argument(call, originsIndex, 'origins');
  if (origins) return allowsAnyOrigin(ctx, origins, true);
  const resources = keywordArg(call, 'resources');
  if (!resources) return true;
  const r = ctx.valueOf(resources);
  if (!r) return false;
  const res = unparen(r);
  // `resources=r"/api/*"`: a path pattern, origins still default to `*`.
  if (stringValue(res) !== null) return true;
  if (res.type !== 'dictionary') return false;
  for (const pair of res.namedChildren) {
    if (pair.type !== 'pair') continue;
    const opts = pair.childForFieldName('value');
    const o = opts ? ctx.valueOf(opts) : null;
    if (!o || unparen(o).type !== 'dictionary') return false;
    let originsValue: SyntaxNode | null = null;
    for (const p of unparen(o).namedChildren) {
      if (p.type === 'pair' && stringValue(p.childForFieldName('key')) === 'origins') originsValue = p.childForFieldName('value');
    }
    if (!originsValue || allowsAnyOrigin(ctx, originsValue, true)) return true;
  }
  return false;
}

export default createRule({
  meta: {
    id: 'cors-permissive',
    area: 'access-control',
    summary: 'CORS allows credentialed requests from any origin.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-942'],
    owasp: ['A05:2021'],
    messages: {
      flask:
        '`{{call}}` allows credentials for every origin: Flask-CORS then echoes any requesting site in `Access-Control-Allow-Origin`, so any web page can make logged-in users\' browsers call this API and read the answers.',
      starlette:
        '`CORSMiddleware` with `allow_credentials=True` and {{origins}}: Starlette echoes the requesting site back, so any web page can make logged-in users\' browsers call this API and read the answers.',
      django:
        '`{{name}}` lets every origin in, and `CORS_ALLOW_CREDENTIALS = True`: django-cors-headers echoes any requesting site with credentials allowed, so any web page can make logged-in users\' browsers call this API and read the answers.',
    },
    docs: {
      whatItDoes:
        'Flags cross-origin resource sharing configured to accept credentialed requests (cookies, HTTP authentication) from every origin: Flask-CORS `CORS(app, supports_credentials=True)` or `@cross_origin(supports_credentials=True)` when the origins are `*`, a match-everything regular expression, or not given (Flask-CORS defaults to `*`); Starlette/FastAPI `CORSMiddleware` (through `add_middleware`, `Middleware(...)` or a direct wrap) with `allow_credentials=True` and `allow_origins=["*"]` or a match-everything `allow_origin_regex`; django-cors-headers settings `CORS_ALLOW_ALL_ORIGINS = True` (or `CORS_ORIGIN_ALLOW_ALL`, or a match-everything `CORS_ALLOWED_ORIGIN_REGEXES`) with `CORS_ALLOW_CREDENTIALS = True` in the same module. A wildcard origin without credentials is not flagged: public, cookie-less APIs legitimately do that. Values that are only known at run time (environment variables) are not flagged.',
      whyBad:
        'Browsers refuse `Access-Control-Allow-Origin: *` together with credentials, so these libraries do something worse: they copy the requesting page\'s origin into the header. Every web site on the internet is then trusted to send requests with the user\'s cookies and to read the responses, which defeats the same-origin policy: a malicious page a logged-in user visits can read their profile, API tokens or private data and perform actions as them.',
      example:
        'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(\n    CORSMiddleware,\n    allow_origins=["*"],\n    allow_credentials=True,\n)',
      useInstead:
        'from fastapi import FastAPI\nfrom fastapi.middleware.cors import CORSMiddleware\n\napp = FastAPI()\napp.add_middleware(\n    CORSMiddleware,\n    allow_origins=["https://app.example.com"],\n    allow_credentials=True,\n)',
      fixSafety:
        'No automatic fix: the list of origins that should be trusted is specific to each deployment. List the front-end origins explicitly (from configuration if they vary by environment); if the API does not rely on cookies or HTTP authentication, drop the credentials option instead.',
      references: [
        'https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS#requests_with_credentials',
        'https://portswigger.net/web-security/cors',
        'https://flask-cors.readthedocs.io/en/latest/api.html',
        'https://www.starlette.io/middleware/#corsmiddleware',
        'https://github.com/adamchainz/django-cors-headers#configuration',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) =>
    (name !== null && (FLASK_CORS.has(name) || FLASK_CROSS_ORIGIN.has(name) || CORS_MIDDLEWARE.has(name) || MIDDLEWARE_WRAPPER.has(name))) ||
    method === 'add_middleware',
  // Every django-cors-headers setting the visitor reads starts with `CORS_`.
  textFilters: { assignment: (text) => text.includes('CORS_') },
  create(ctx) {
    const django = new Map<string, SyntaxNode>();
    let djangoCredentials = false;

    /** Starlette options given as keyword arguments of `call`. */
    const checkStarlette = (call: SyntaxNode, report: SyntaxNode): void => {
      if (hasSplat(call) || !trueValue(ctx, keywordArg(call, 'allow_credentials'))) return;
      let origins: string | null = null;
      if (allowsAnyOrigin(ctx, keywordArg(call, 'allow_origins'), false)) origins = '`allow_origins=["*"]`';
      else if (allowsAnyOrigin(ctx, keywordArg(call, 'allow_origin_regex'), true)) origins = 'an `allow_origin_regex` that matches every origin';
      if (origins) ctx.report({ node: report, messageId: 'starlette', data: { origins } });
    };

    return {
      call(node) {
        const name = ctx.calleeName(node);
        if (name !== null && FLASK_CORS.has(name)) {
          if (trueValue(ctx, keywordArg(node, 'supports_credentials')) && flaskAnyOrigin(ctx, node, null)) {
            ctx.report({ node, messageId: 'flask', data: { call: 'CORS' } });
          }
          return;
        }
        if (name !== null && FLASK_CROSS_ORIGIN.has(name)) {
          // `cross_origin(*args, **kwargs)`: the first positional argument is `origins`.
          if (trueValue(ctx, keywordArg(node, 'supports_credentials')) && flaskAnyOrigin(ctx, node, 0)) {
            ctx.report({ node, messageId: 'flask', data: { call: 'cross_origin' } });
          }
          return;
        }
        if (name !== null && CORS_MIDDLEWARE.has(name)) {
          checkStarlette(node, node);
          return;
        }
        const first = positionalArgs(node)[0];
        const isCorsMiddleware = first !== undefined && CORS_MIDDLEWARE.has(ctx.qualifiedName(first) ?? '');
        if (!isCorsMiddleware) return;
        if ((name !== null && MIDDLEWARE_WRAPPER.has(name)) || node.childForFieldName('function')?.childForFieldName('attribute')?.text === 'add_middleware') {
          checkStarlette(node, node);
        }
      },
      assignment(node) {
        const left = node.childForFieldName('left');
        if (left?.type !== 'identifier' || !isModuleLevel(node)) return;
        const key = left.text;
        const right = node.childForFieldName('right');
        if (key === DJANGO_CREDENTIALS) {
          djangoCredentials = isTrue(right);
        } else if (DJANGO_ALLOW_ALL.has(key)) {
          if (isTrue(right)) django.set(key, node);
          else django.delete(key);
        } else if (DJANGO_REGEXES.has(key)) {
          const list = right ? unparen(right) : null;
          const any =
            !!list &&
            (list.type === 'list' || list.type === 'tuple') &&
            list.namedChildren.some((c) => {
              const s = stringValue(c);
              return s !== null && isAnyOriginRegex(s);
            });
          if (any) django.set(key, node);
          else django.delete(key);
        }
      },
      'module:exit'() {
        if (!djangoCredentials) return;
        for (const [name, node] of django) ctx.report({ node, messageId: 'django', data: { name } });
      },
    };
  },
});
