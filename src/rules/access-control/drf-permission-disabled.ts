import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, decoratorExpression, decoratorsOf, snakeCase, stringValue, unparen } from '../../python/ast.js';
import { constantString } from '../../python/values.js';
import { importsPackage, isModuleLevel, isTestPath } from '../../python/module-info.js';

const ALLOW_ANY = 'rest_framework.permissions.AllowAny';
const PERMISSION_CLASSES_DECORATOR = 'rest_framework.decorators.permission_classes';
const API_VIEW_DECORATOR = 'rest_framework.decorators.api_view';

/** DRF base classes that only serve safe (read-only) methods. */
const READ_ONLY_BASES = new Set([
  'rest_framework.viewsets.ReadOnlyModelViewSet',
  'rest_framework.generics.ListAPIView',
  'rest_framework.generics.RetrieveAPIView',
]);
const SAFE_METHODS = new Set(['get', 'head', 'options', 'trace']);

/**
 * Views that are meant to be reachable without logging in: the login, registration, token
 * and password-reset endpoints, health checks and views named public.
 */
const PUBLIC_NAME =
  /(?:^|_)(?:log_?in|sign_?in|sign_?up|register|registration|token|tokens|jwt|obtain|refresh|password|passwd|forgot|reset|health|healthz|healthcheck|ping|status|public|anonymous|webhook|callback|verify|verification|confirm|activate|activation|captcha|csrf|version|schema|docs|swagger|redoc|openapi)(?:_|$)/;

function isPublicName(name: string): boolean {
  return PUBLIC_NAME.test(snakeCase(name).replace(/^_+/, ''));
}

/** Elements of a literal list/tuple, or null when the value is not one. */
function sequenceItems(ctx: RuleContext, node: SyntaxNode | null): SyntaxNode[] | null {
  if (!node) return null;
  let n = unparen(node);
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    if (!v || v.id === n.id) return null;
    n = unparen(v);
  }
  if (n.type !== 'list' && n.type !== 'tuple') return null;
  return n.namedChildren.filter((c) => c.type !== 'comment');
}

type Verdict = 'empty' | 'allowAny' | null;

/** `[]`, `()` → empty; `[AllowAny]` (resolved to DRF) → allowAny; anything else → null. */
function classesVerdict(ctx: RuleContext, node: SyntaxNode | null, strings: boolean): Verdict {
  const items = sequenceItems(ctx, node);
  if (!items) return null;
  if (items.length === 0) return 'empty';
  const allowAny = (c: SyntaxNode): boolean =>
    strings ? constantString(ctx, c) === ALLOW_ANY : ctx.qualifiedName(c) === ALLOW_ANY;
  return items.every(allowAny) ? 'allowAny' : null;
}

/** The class whose body directly holds `node` (a statement of the class body). */
function enclosingClass(node: SyntaxNode): SyntaxNode | null {
  const block = node.parent;
  if (block?.type !== 'block') return null;
  return block.parent?.type === 'class_definition' ? block.parent : null;
}

function baseNames(ctx: RuleContext, cls: SyntaxNode): string[] {
  const supers = cls.childForFieldName('superclasses');
  if (!supers) return [];
  return supers.namedChildren
    .filter((c) => c.type !== 'keyword_argument' && c.type !== 'comment')
    .map((c) => ctx.qualifiedName(c) ?? '');
}

/** `http_method_names = ["get", ...]` in the class body, as lower-case names. */
function httpMethodNames(ctx: RuleContext, cls: SyntaxNode): string[] | null {
  const body = cls.childForFieldName('body');
  for (const stmt of body?.namedChildren ?? []) {
    const a = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
    if (a?.type !== 'assignment' || a.childForFieldName('left')?.text !== 'http_method_names') continue;
    const items = sequenceItems(ctx, a.childForFieldName('right'));
    if (!items) return null;
    const names = items.map((i) => constantString(ctx, i));
    return names.every((n): n is string => n !== null) ? names.map((n) => n.toLowerCase()) : null;
  }
  return null;
}

export default createRule({
  meta: {
    id: 'drf-permission-disabled',
    area: 'access-control',
    summary: 'A Django REST framework view, or the whole API, lets anyone in: `AllowAny` or no permission classes.',
    severity: 'high',
    confidence: 'high',
    cwe: ['CWE-284'],
    owasp: ['A01:2021'],
    messages: {
      allowAny:
        '`{{view}}` uses `permission_classes = [AllowAny]`: anyone, including anonymous users, can call it{{what}}.',
      empty:
        '`{{view}}` sets `permission_classes` to an empty list: no permission is checked, so anyone, including anonymous users, can call it{{what}}.',
      settings:
        '`DEFAULT_PERMISSION_CLASSES` {{how}}: every API view that does not set its own permission classes is open to anonymous users.',
    },
    docs: {
      whatItDoes:
        'Flags Django REST framework views that switch permission checks off: `permission_classes = [AllowAny]` or `permission_classes = []` / `()` in a view or viewset class, `@permission_classes([AllowAny])` or `@permission_classes([])` on a function view, and a `REST_FRAMEWORK` setting whose `DEFAULT_PERMISSION_CLASSES` holds only `"rest_framework.permissions.AllowAny"` or nothing. Views that are meant to be public by nature — whose class or function name reads as login, sign-up, registration, token, password reset, email verification, health check, API schema/docs or "public" — are skipped rather than reported, since `AllowAny` is the correct choice there. Views that only serve safe methods (`ReadOnlyModelViewSet`, `ListAPIView`, `RetrieveAPIView`, `http_method_names` limited to GET/HEAD/OPTIONS, `@api_view(["GET"])`) are reported with medium severity and confidence: they expose data but cannot change it, and public read-only endpoints are common. `AllowAny` must resolve to `rest_framework.permissions.AllowAny`; other classes with that name, `IsAuthenticated` and friends, and test modules are not flagged.',
      whyBad:
        'Permission classes are how DRF decides who may call a view. `AllowAny` (and an empty list, which checks nothing) makes the endpoint callable by anyone on the internet without logging in: a viewset exposing create, update and delete lets anonymous users modify or delete any record, and even read-only endpoints can leak personal data. Because `AllowAny` is often added temporarily while developing, it is an easy way for an entire API to ship unprotected.',
      example:
        'from rest_framework import viewsets\nfrom rest_framework.permissions import AllowAny\n\nclass OrderViewSet(viewsets.ModelViewSet):\n    queryset = Order.objects.all()\n    serializer_class = OrderSerializer\n    permission_classes = [AllowAny]',
      useInstead:
        'from rest_framework import viewsets\nfrom rest_framework.permissions import IsAuthenticated\n\nclass OrderViewSet(viewsets.ModelViewSet):\n    serializer_class = OrderSerializer\n    permission_classes = [IsAuthenticated]\n\n    def get_queryset(self):\n        # Object-level scoping: users see only their own orders.\n        return Order.objects.filter(owner=self.request.user)',
      fixSafety:
        'No automatic fix: which permission is right (`IsAuthenticated`, `IsAdminUser`, `DjangoModelPermissions`, an object-level permission) depends on the view, and clients that call the endpoint anonymously will start getting 401/403 responses. When a view is public on purpose, say so with `# pysec: ignore[drf-permission-disabled]` and a reason.',
      references: [
        'https://www.django-rest-framework.org/api-guide/permissions/',
        'https://www.django-rest-framework.org/api-guide/settings/#default_permission_classes',
        'https://cheatsheetseries.owasp.org/cheatsheets/Authorization_Cheat_Sheet.html',
      ],
    },
    fixable: false,
  },
  callFilter: (name) => name === PERMISSION_CLASSES_DECORATOR,
  textFilters: { assignment: (text) => text.includes('permission_classes') || text.includes('REST_FRAMEWORK') },
  create(ctx) {
    if (isTestPath(ctx.path)) return {};

    const reportView = (node: SyntaxNode, verdict: 'empty' | 'allowAny', view: string, safeOnly: boolean): void => {
      ctx.report({
        node,
        messageId: verdict,
        data: { view, what: safeOnly ? ' (read-only)' : ', including to change data' },
        ...(safeOnly ? { severity: 'medium' as const, confidence: 'medium' as const } : {}),
      });
    };

    return {
      assignment(node) {
        const left = node.childForFieldName('left');
        if (left?.type !== 'identifier') return;
        if (left.text === 'permission_classes') {
          const cls = enclosingClass(node.parent ?? node);
          if (!cls) return;
          const verdict = classesVerdict(ctx, node.childForFieldName('right'), false);
          if (!verdict) return;
          const bases = baseNames(ctx, cls);
          const drfBase = bases.some((b) => b.startsWith('rest_framework.'));
          // `[]` names nothing from DRF: require a DRF base class or a DRF module.
          if (verdict === 'empty' && !drfBase && !importsPackage(ctx, 'rest_framework')) return;
          const name = cls.childForFieldName('name')?.text ?? '';
          if (isPublicName(name)) return;
          const methods = httpMethodNames(ctx, cls);
          const safeOnly =
            bases.some((b) => READ_ONLY_BASES.has(b)) || (methods !== null && methods.every((m) => SAFE_METHODS.has(m)));
          reportView(node, verdict, name, safeOnly);
        } else if (left.text === 'REST_FRAMEWORK' && isModuleLevel(node)) {
          const dict = node.childForFieldName('right');
          const d = dict ? unparen(dict) : null;
          if (d?.type !== 'dictionary') return;
          for (const pair of d.namedChildren) {
            if (pair.type !== 'pair' || stringValue(pair.childForFieldName('key')) !== 'DEFAULT_PERMISSION_CLASSES') continue;
            const verdict = classesVerdict(ctx, pair.childForFieldName('value'), true);
            if (verdict) {
              ctx.report({
                node: pair,
                messageId: 'settings',
                data: { how: verdict === 'empty' ? 'is empty' : 'holds only `AllowAny`' },
              });
            }
          }
        }
      },
      call(node) {
        // `@permission_classes([AllowAny])` (also called as a function in a URLconf, rarely).
        if (ctx.calleeName(node) !== PERMISSION_CLASSES_DECORATOR) return;
        const verdict = classesVerdict(ctx, argument(node, 0, 'permission_classes'), false);
        if (!verdict) return;
        const dec = node.parent;
        const def = dec?.type === 'decorator' ? dec.parent?.namedChildren.find((c) => c.type === 'function_definition') : null;
        if (!def) return;
        const name = def.childForFieldName('name')?.text ?? '';
        if (isPublicName(name)) return;
        let safeOnly = false;
        for (const d of decoratorsOf(def)) {
          const e = decoratorExpression(d);
          const call = e && unparen(e);
          if (call?.type !== 'call' || ctx.calleeName(call) !== API_VIEW_DECORATOR) continue;
          const methods = argument(call, 0, 'http_method_names');
          if (!methods) {
            safeOnly = true; // `@api_view()` serves GET only.
            continue;
          }
          const items = sequenceItems(ctx, methods);
          const names = items?.map((i) => constantString(ctx, i)?.toLowerCase() ?? null);
          safeOnly = !!names && names.every((m) => m !== null && SAFE_METHODS.has(m));
        }
        reportView(node, verdict, name, safeOnly);
      },
    };
  },
});
