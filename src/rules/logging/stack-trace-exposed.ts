import { createRule } from '../../core/types.js';
import type { SyntaxNode } from '../../python/parser.js';
import { decoratorExpression, decoratorsOf, stringValue, unparen } from '../../python/ast.js';
import { importsPackage } from '../../python/module-info.js';

/** Calls whose result is a formatted traceback or the exception being handled. */
const TRACE_SOURCES = new Set([
  'traceback.format_exc',
  'traceback.format_exception',
  'traceback.format_tb',
  'traceback.format_stack',
  'traceback.extract_tb',
  'traceback.format_exception_only',
  'sys.exc_info',
]);

/** Calls that build the response (or an error the framework turns into one) from their arguments. */
const RESPONSE_FUNCTIONS = new Set([
  'flask.jsonify', 'flask.make_response', 'flask.Response', 'flask.render_template', 'flask.render_template_string',
  'flask.abort', 'flask.json.jsonify', 'werkzeug.wrappers.Response', 'werkzeug.Response', 'werkzeug.exceptions.abort',
  'quart.jsonify', 'quart.make_response', 'quart.Response', 'quart.abort',
  'django.http.HttpResponse', 'django.http.JsonResponse', 'django.http.HttpResponseServerError',
  'django.http.HttpResponseBadRequest', 'django.http.response.HttpResponse', 'django.http.response.JsonResponse',
  'django.shortcuts.render', 'django.shortcuts.render_to_response',
  'rest_framework.response.Response', 'rest_framework.exceptions.APIException', 'rest_framework.exceptions.ValidationError',
  'fastapi.HTTPException', 'fastapi.exceptions.HTTPException', 'fastapi.responses.JSONResponse', 'fastapi.responses.PlainTextResponse',
  'fastapi.responses.HTMLResponse', 'fastapi.responses.Response', 'fastapi.Response',
  'starlette.responses.JSONResponse', 'starlette.responses.PlainTextResponse', 'starlette.responses.HTMLResponse',
  'starlette.responses.Response', 'starlette.exceptions.HTTPException',
  'aiohttp.web.Response', 'aiohttp.web.json_response', 'sanic.response.json', 'sanic.response.text', 'sanic.json', 'sanic.text',
  'bottle.HTTPResponse', 'bottle.abort',
]);

/** Decorator methods that register a request or error handler: `@app.route`, `@router.get`, `@app.errorhandler`. */
const ROUTE_DECORATORS = new Set([
  'route', 'get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'api_route', 'websocket', 'errorhandler',
  'exception_handler', 'app_errorhandler', 'register_error_handler', 'view', 'add_route',
]);

/** Decorators (by qualified name) that mark a view. */
const VIEW_DECORATORS = [
  'rest_framework.decorators.api_view', 'django.views.decorators.http.', 'django.views.decorators.csrf.',
  'django.contrib.auth.decorators.', 'bottle.route', 'bottle.get', 'bottle.post', 'flask_login.login_required',
];

/** Frameworks whose handlers are registered with route decorators. */
const ROUTED_FRAMEWORKS = ['flask', 'fastapi', 'quart', 'starlette', 'sanic', 'bottle', 'aiohttp', 'litestar', 'apiflask', 'connexion'];

/** Frameworks whose views take the request as their first (or, in classes, second) parameter. */
const REQUEST_FRAMEWORKS = ['django', 'rest_framework', 'aiohttp', 'pyramid', 'starlette'];

/** Wrappers the text passes through unchanged. */
const PASS_THROUGH = new Set(['str', 'repr', 'format']);

const BROAD_EXCEPTIONS = new Set(['Exception', 'BaseException']);

function parameterNames(fn: SyntaxNode): string[] {
  const params = fn.childForFieldName('parameters');
  if (!params) return [];
  return params.namedChildren.flatMap((p) => {
    if (p.type === 'identifier') return [p.text];
    const name = p.childForFieldName('name') ?? p.namedChildren.find((c) => c.type === 'identifier');
    return name ? [name.text] : [];
  });
}

export default createRule({
  meta: {
    id: 'stack-trace-exposed',
    area: 'logging',
    summary: 'A web handler sends a stack trace or exception details back to the client.',
    severity: 'medium',
    confidence: 'high',
    cwe: ['CWE-209'],
    owasp: ['A04:2021'],
    messages: {
      traceback:
        '`{{source}}` reaches the response of this request handler: clients see the stack trace, with file paths, library versions, code and sometimes data or credentials. Log the traceback on the server and return a generic error message.',
      exceptionText:
        'The text of a caught `{{type}}` reaches the response of this request handler: arbitrary exceptions carry internal details (SQL, file paths, host names, configuration) that clients should not see. Log it on the server and return a generic message, or return the text only for exception types meant for users.',
    },
    docs: {
      whatItDoes:
        'Flags request handlers that put a traceback into what they send to the client: the result of `traceback.format_exc()`, `traceback.format_exception()`, `traceback.format_tb()`, `traceback.format_stack()` or `sys.exc_info()` that reaches a `return`, or the arguments of `jsonify`, `make_response`, `Response`, `render_template`, `abort`, `HttpResponse`, `JsonResponse`, DRF `Response`, `JSONResponse`, FastAPI\'s `HTTPException` and similar, directly, through an f-string, `%`, `+`, `.format()`, a dict or tuple, or through a local name. Handlers are functions registered with route or error-handler decorators (`@app.route`, `@router.get`, `@app.errorhandler`, `@app.exception_handler`, `@api_view`) in a module that imports a web framework, and Django/DRF/aiohttp views taking `request`. The text of a caught `Exception`/`BaseException` (`str(e)`, `repr(e)`, `f"{e}"`) returned the same way is reported with low confidence: a handler that catches narrow, user-facing exceptions (`except ValidationError as e`) is not flagged. Tracebacks that are only logged, and functions that are not handlers, are not flagged.',
      whyBad:
        'A stack trace tells an attacker which frameworks and versions run the site, where the code lives on disk, the names of modules, functions and variables, and often fragments of SQL, configuration or data. This turns blind probing into targeted attacks, and some exception messages carry secrets outright (connection strings, tokens in URLs). Error details belong in the server\'s logs, tied to an error id the client can quote.',
      example:
        'import traceback\nfrom flask import Flask, jsonify\n\napp = Flask(__name__)\n\n@app.route("/orders")\ndef orders():\n    try:\n        return jsonify(load_orders())\n    except Exception:\n        return jsonify(error=traceback.format_exc()), 500',
      useInstead:
        'import logging\nimport uuid\nfrom flask import Flask, jsonify\n\napp = Flask(__name__)\nlogger = logging.getLogger(__name__)\n\n@app.route("/orders")\ndef orders():\n    try:\n        return jsonify(load_orders())\n    except Exception:\n        error_id = uuid.uuid4().hex\n        logger.exception("loading orders failed (error id %s)", error_id)\n        return jsonify(error="internal error", error_id=error_id), 500',
      fixSafety:
        'No automatic fix: move the traceback to the server log (`logger.exception(...)`) and return a generic message, ideally with an error id that support can look up in the logs.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Error_Handling_Cheat_Sheet.html',
        'https://owasp.org/www-community/Improper_Error_Handling',
        'https://flask.palletsprojects.com/en/stable/errorhandling/',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name !== null && (TRACE_SOURCES.has(name) || name === 'str' || name === 'repr'),
  textFilters: {
    // `{e}`, `{e!r}`, `{e:>10}`: the visitor only looks at a bare name.
    interpolation: (text) => /^\{\s*[^\s!:=}#.()[\]{+\-*/%&|^~<>,;'"@\\`]+\s*(?:[!:=}#]|$)/.test(text),
  },
  create(ctx) {
    const handlerCache = new Map<number, boolean>();
    let routed: boolean | null = null;
    let requestStyle: boolean | null = null;

    const isHandler = (fn: SyntaxNode): boolean => {
      const cached = handlerCache.get(fn.id);
      if (cached !== undefined) return cached;
      const result = computeIsHandler(fn);
      handlerCache.set(fn.id, result);
      return result;
    };

    const computeIsHandler = (fn: SyntaxNode): boolean => {
      for (const dec of decoratorsOf(fn)) {
        const expr = decoratorExpression(dec);
        if (!expr) continue;
        const target = expr.type === 'call' ? expr.childForFieldName('function') : expr;
        if (!target) continue;
        const q = ctx.qualifiedName(target);
        if (q !== null && VIEW_DECORATORS.some((v) => (v.endsWith('.') ? q.startsWith(v) : q === v))) return true;
        if (expr.type === 'call' && target.type === 'attribute' && ROUTE_DECORATORS.has(target.childForFieldName('attribute')?.text ?? '')) {
          routed ??= ROUTED_FRAMEWORKS.some((f) => importsPackage(ctx, f));
          if (routed) return true;
        }
      }
      const params = parameterNames(fn);
      const inClass = fn.parent?.type === 'block' && fn.parent.parent?.type === 'class_definition';
      const requestParam = inClass ? params[1] : params[0];
      if (requestParam === 'request') {
        requestStyle ??= REQUEST_FRAMEWORKS.some((f) => importsPackage(ctx, f));
        return requestStyle;
      }
      return false;
    };

    /** The innermost function around `node`, if it is a request handler. */
    const handlerOf = (node: SyntaxNode): SyntaxNode | null => {
      for (let p = node.parent; p; p = p.parent) {
        if (p.type === 'function_definition') return isHandler(p) ? p : null;
        if (p.type === 'lambda' || p.type === 'class_definition') return null;
      }
      return null;
    };

    /**
     * Does the value of `node` reach the handler's response? Follows the expression upwards
     * through string building and containers, and a local name it is assigned to.
     */
    const reachesResponse = (node: SyntaxNode, handler: SyntaxNode, depth = 0): boolean => {
      if (depth > 3) return false;
      let n = node;
      for (let p = n.parent; p; n = p, p = p.parent) {
        switch (p.type) {
          case 'return_statement':
            return true;
          case 'parenthesized_expression':
          case 'interpolation':
          case 'string':
          case 'concatenated_string':
          case 'tuple':
          case 'list':
          case 'set':
          case 'dictionary':
          case 'conditional_expression':
          case 'expression_list':
            continue;
          case 'keyword_argument':
            if (p.childForFieldName('value')?.id !== n.id) return false;
            continue;
          case 'pair':
            if (p.childForFieldName('value')?.id !== n.id) return false;
            continue;
          case 'binary_operator': {
            const op = p.child(1)?.type;
            if (op !== '+' && op !== '%') return false;
            continue;
          }
          case 'subscript':
            if (p.childForFieldName('value')?.id !== n.id) return false;
            continue;
          case 'attribute': {
            // `"...".format(tb)` is handled at the argument list; `tb.strip()` keeps the text.
            if (p.childForFieldName('object')?.id !== n.id) return false;
            const attr = p.childForFieldName('attribute')?.text ?? '';
            if (!['strip', 'rstrip', 'lstrip', 'splitlines', 'replace'].includes(attr)) return false;
            const call = p.parent;
            if (call?.type !== 'call') return false;
            p = call;
            continue;
          }
          case 'argument_list': {
            const call = p.parent;
            if (call?.type !== 'call') return false;
            const fn = call.childForFieldName('function');
            const q = ctx.calleeName(call);
            if (q !== null && RESPONSE_FUNCTIONS.has(q)) return true;
            if (q !== null && PASS_THROUGH.has(q)) {
              p = call;
              continue;
            }
            if (fn?.type === 'attribute') {
              const method = fn.childForFieldName('attribute')?.text;
              const obj = fn.childForFieldName('object');
              // "{}".format(tb), "\n".join(lines)
              if ((method === 'format' || method === 'join') && obj && stringValue(unparen(obj)) !== null) {
                p = call;
                continue;
              }
            }
            return false;
          }
          case 'assignment':
          case 'augmented_assignment': {
            if (p.childForFieldName('right')?.id !== n.id) return false;
            const left = p.childForFieldName('left');
            if (left?.type !== 'identifier') return false;
            return usesReachResponse(left, handler, depth);
          }
          default:
            return false;
        }
      }
      return false;
    };

    /** Later reads of `target` in the handler body that reach the response. */
    const usesReachResponse = (target: SyntaxNode, handler: SyntaxNode, depth: number): boolean => {
      const body = handler.childForFieldName('body');
      if (!body) return false;
      const stack: SyntaxNode[] = [body];
      while (stack.length > 0) {
        const n = stack.pop() as SyntaxNode;
        if (n.type === 'function_definition' || n.type === 'class_definition' || n.type === 'lambda') continue;
        if (n.type === 'identifier') {
          if (n.text === target.text && n.startIndex > target.endIndex && !isAssignmentTarget(n) && reachesResponse(n, handler, depth + 1)) {
            return true;
          }
          continue;
        }
        for (const c of n.namedChildren) stack.push(c);
      }
      return false;
    };

    /** The broad exception type bound to `id` by an enclosing `except Exception as id:`, if any. */
    const caughtBroad = (id: SyntaxNode): string | null => {
      for (let p = id.parent; p; p = p.parent) {
        if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return null;
        if (p.type !== 'except_clause') continue;
        const value = p.childForFieldName('value') ?? p.namedChildren.find((c) => c.type === 'as_pattern') ?? null;
        if (value?.type !== 'as_pattern') continue;
        const alias = value.childForFieldName('alias')?.namedChildren[0];
        if (alias?.type !== 'identifier' || alias.text !== id.text) continue;
        const type = value.namedChildren[0];
        if (!type) return null;
        const types = unparen(type).type === 'tuple' ? unparen(type).namedChildren : [type];
        for (const t of types) {
          // Builtin exception names: not imported, not defined in the file.
          if (t.type === 'identifier' && BROAD_EXCEPTIONS.has(t.text) && ctx.resolve(t).kind === 'unknown') return t.text;
        }
        return null;
      }
      return null;
    };

    const checkExceptionText = (source: SyntaxNode, id: SyntaxNode): void => {
      if (id.type !== 'identifier') return;
      const type = caughtBroad(id);
      if (!type) return;
      const handler = handlerOf(source);
      if (!handler || !reachesResponse(source, handler)) return;
      ctx.report({ node: source, messageId: 'exceptionText', data: { type }, confidence: 'low' });
    };

    return {
      call(node) {
        const q = ctx.calleeName(node);
        if (q === null) return;
        if (TRACE_SOURCES.has(q)) {
          const handler = handlerOf(node);
          if (!handler || !reachesResponse(node, handler)) return;
          ctx.report({ node, messageId: 'traceback', data: { source: `${q}()` } });
          return;
        }
        if (q === 'str' || q === 'repr') {
          const args = node.childForFieldName('arguments')?.namedChildren.filter((c) => c.type !== 'comment') ?? [];
          if (args.length !== 1 || !args[0]) return;
          // `str(e)` inside a traceback call or another str() is judged at the outer node.
          checkExceptionText(node, unparen(args[0]));
        }
      },
      interpolation(node) {
        const expr = node.childForFieldName('expression');
        if (expr?.type === 'identifier') checkExceptionText(expr, expr);
      },
    };
  },
});

function isAssignmentTarget(id: SyntaxNode): boolean {
  const p = id.parent;
  return (p?.type === 'assignment' || p?.type === 'augmented_assignment') && p.childForFieldName('left')?.id === id.id;
}
