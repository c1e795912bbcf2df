import { createRule } from '../../core/types.js';
import type { RuleContext } from '../../core/context.js';
import type { SyntaxNode } from '../../python/parser.js';
import { argument, keywordArg, positionalArgs, stringValue, terminalName, unparen } from '../../python/ast.js';
import { readsRequestData } from '../../python/values.js';
import { methodCall } from '../../python/receivers.js';
import { isModuleLevel } from '../../python/module-info.js';

const MODEL_FORMS = new Set(['django.forms.ModelForm', 'django.forms.models.ModelForm']);
const MODEL_SERIALIZERS = new Set([
  'rest_framework.serializers.ModelSerializer',
  'rest_framework.serializers.HyperlinkedModelSerializer',
]);
/** Generic editing views build a ModelForm from their own `fields`. */
const EDIT_VIEWS = new Set([
  'django.views.generic.CreateView',
  'django.views.generic.UpdateView',
  'django.views.generic.edit.CreateView',
  'django.views.generic.edit.UpdateView',
]);
const FORM_FACTORIES = new Set([
  'django.forms.modelform_factory',
  'django.forms.models.modelform_factory',
  'django.forms.modelformset_factory',
  'django.forms.models.modelformset_factory',
  'django.forms.inlineformset_factory',
  'django.forms.models.inlineformset_factory',
]);

/** ORM methods that write their keyword arguments to model fields. */
const WRITE_METHODS = new Set(['create', 'update', 'get_or_create', 'update_or_create']);

/** Receivers of `.update(**data)` that are plainly dictionaries or configuration, not records. */
const DICT_LIKE_NAME =
  /^(?:self|cls|d|dct|dict_?|data|params|kwargs|kw|args|options|opts|context|ctx|headers|config|conf|settings|session|cache|payload|values|defaults|result|results|response|resp|extra|meta|info|env|environ|state|attrs|fields|query|filters|out|output|body|form_data|cleaned_data)$/i;
const DICT_FACTORIES = new Set(['dict', 'collections.OrderedDict', 'collections.defaultdict', 'collections.ChainMap']);

/** Base classes a module-local model class inherits from (`db.Model`, `models.Model`, `Base`, `Document`). */
const MODEL_BASE = /(?:^|\.)(?:Model|Base|DeclarativeBase|Document|DynamicDocument|EmbeddedDocument)$/;
/** Module path segments that hold models (`app.models.User`, `.models.User`). */
const MODEL_MODULE = /^(?:models?|entities|orm|tables|db|database)$/;

/** Calls that pass request data through unfiltered (parsing, copying). */
const PLAIN_READERS = new Set(['json.loads', 'dict', 'orjson.loads', 'ujson.loads', 'simplejson.loads']);

const COMPREHENSIONS = new Set(['dictionary_comprehension', 'list_comprehension', 'set_comprehension', 'generator_expression']);

function className(cls: SyntaxNode): string {
  return cls.childForFieldName('name')?.text ?? '';
}

function superclassNodes(cls: SyntaxNode): SyntaxNode[] {
  const supers = cls.childForFieldName('superclasses');
  return (supers?.namedChildren ?? []).filter((c) => c.type !== 'keyword_argument' && c.type !== 'comment');
}

/** The class whose body directly holds the statement `stmt`. */
function classOfStatement(stmt: SyntaxNode): SyntaxNode | null {
  const block = stmt.parent;
  return block?.type === 'block' && block.parent?.type === 'class_definition' ? block.parent : null;
}

/** `name = value` statements directly in a class body. */
function classAssignments(cls: SyntaxNode): Map<string, SyntaxNode> {
  const out = new Map<string, SyntaxNode>();
  for (const stmt of cls.childForFieldName('body')?.namedChildren ?? []) {
    const a = stmt.type === 'expression_statement' ? stmt.namedChild(0) : null;
    if (a?.type !== 'assignment') continue;
    const left = a.childForFieldName('left');
    if (left?.type === 'identifier') out.set(left.text, a);
  }
  return out;
}

/** Does the for-loop iterate over request data that nothing has filtered? */
function iteratesRequestData(ctx: RuleContext, iterable: SyntaxNode, depth = 0): boolean {
  if (depth > 3) return false;
  let n = unparen(iterable);
  // `await request.json()` (Starlette/FastAPI).
  if (n.type === 'await') n = unparen(n.namedChild(0) ?? n);
  // `data.items()`, `data.keys()`: look at `data`.
  const m = n.type === 'call' ? methodCall(n) : null;
  if (m && (m.method === 'items' || m.method === 'keys') && positionalArgs(n).length === 0) n = unparen(m.receiver);
  if (n.type === 'identifier') {
    const v = ctx.valueOf(n);
    if (!v || v.id === n.id) return false;
    n = unparen(v);
    if (n.type === 'identifier' || n.type === 'await') return iteratesRequestData(ctx, n, depth + 1);
  }
  // `ALLOWED & data.keys()`, `data.keys() - PROTECTED`: set algebra is the allow-list.
  if (n.type === 'binary_operator') return false;
  // A comprehension with an `if` clause, or any call (`filter(...)`, `clean(data)`), may be the allow-list.
  if (COMPREHENSIONS.has(n.type)) {
    if (n.namedChildren.some((c) => c.type === 'if_clause')) return false;
  } else if (n.type === 'call') {
    const mc = methodCall(n);
    const plainRead =
      PLAIN_READERS.has(ctx.calleeName(n) ?? '') ||
      (mc !== null && ['get_json', 'json', 'form', 'dict', 'copy', 'items', 'keys', 'to_dict'].includes(mc.method));
    if (!plainRead) return false;
  }
  return readsRequestData(ctx, n);
}

/** Any identifier `name` under `node` (bounded walk over a loop body or condition). */
function mentions(node: SyntaxNode, name: string, skip?: SyntaxNode): boolean {
  const stack: SyntaxNode[] = [node];
  let budget = 2000;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop() as SyntaxNode;
    if (skip && n.id === skip.id) continue;
    if (n.type === 'identifier' && n.text === name) return true;
    for (const c of n.namedChildren) stack.push(c);
  }
  return false;
}

/**
 * True when the loop body tests the key before (or instead of) assigning it: an `if` or a
 * conditional expression whose condition mentions the key, other than `hasattr(obj, key)`,
 * which only checks that the attribute exists.
 */
function keyIsChecked(body: SyntaxNode, key: string): boolean {
  const stack: SyntaxNode[] = [body];
  let budget = 2000;
  while (stack.length > 0 && budget-- > 0) {
    const n = stack.pop() as SyntaxNode;
    let cond: SyntaxNode | null = null;
    if (n.type === 'if_statement' || n.type === 'elif_clause' || n.type === 'while_statement') cond = n.childForFieldName('condition');
    else if (n.type === 'conditional_expression') cond = n.namedChild(1);
    if (cond && mentions(cond, key) && !isHasattrOnly(cond)) return true;
    if (n.type === 'function_definition' || n.type === 'lambda') continue;
    for (const c of n.namedChildren) stack.push(c);
  }
  return false;
}

function isHasattrOnly(cond: SyntaxNode): boolean {
  const c = unparen(cond);
  return c.type === 'call' && c.childForFieldName('function')?.text === 'hasattr';
}

/** The for-loop that binds `key` and encloses `node`, within the same function. */
function loopBinding(node: SyntaxNode, key: string): SyntaxNode | null {
  for (let p = node.parent; p; p = p.parent) {
    if (p.type === 'function_definition' || p.type === 'lambda' || p.type === 'class_definition') return null;
    if (p.type !== 'for_statement') continue;
    const left = p.childForFieldName('left');
    if (!left) continue;
    const targets = left.type === 'identifier' ? [left] : left.namedChildren;
    if (targets.some((t) => t.type === 'identifier' && t.text === key)) return p;
  }
  return null;
}

/** A `**` argument of the call that reads request data. */
function requestSplat(ctx: RuleContext, call: SyntaxNode): SyntaxNode | null {
  const args = call.childForFieldName('arguments');
  for (const a of args?.namedChildren ?? []) {
    if (a.type !== 'dictionary_splat') continue;
    const inner = a.namedChild(0);
    if (inner && iteratesRequestData(ctx, inner)) return a;
  }
  return null;
}

/** A chain `X.objects...` (a Django model manager or queryset). */
function onManager(receiver: SyntaxNode): boolean {
  let n: SyntaxNode | null = receiver;
  for (let i = 0; n && i < 8; i++) {
    n = unparen(n);
    if (n.type === 'attribute') {
      if (n.childForFieldName('attribute')?.text === 'objects') return true;
      n = n.childForFieldName('object');
    } else if (n.type === 'call') {
      n = n.childForFieldName('function');
    } else return false;
  }
  return false;
}

function isDictLike(ctx: RuleContext, receiver: SyntaxNode): boolean {
  const r = unparen(receiver);
  if (r.type === 'dictionary' || r.type === 'dictionary_comprehension') return true;
  const name = terminalName(r);
  if (name !== null && DICT_LIKE_NAME.test(name.replace(/^_+/, ''))) return true;
  if (r.type === 'identifier') {
    const v = ctx.valueOf(r);
    if (v && v.id !== r.id) {
      const u = unparen(v);
      if (u.type === 'dictionary' || u.type === 'dictionary_comprehension') return true;
      if (u.type === 'call' && DICT_FACTORIES.has(ctx.calleeName(u) ?? '')) return true;
    }
  }
  return false;
}

export default createRule({
  meta: {
    id: 'mass-assignment',
    area: 'access-control',
    summary: 'Every field of a model can be set from the request (mass assignment).',
    severity: 'medium',
    confidence: 'high',
    cwe: ['CWE-915'],
    owasp: ['A08:2021'],
    messages: {
      allFields:
        '`{{cls}}` uses `fields = "__all__"`: every model field, including ones users must not change (owner, role, is_staff, balance), becomes writable from the request.',
      exclude:
        '`{{cls}}` uses `exclude`: every model field not listed, including any field added later, becomes writable from the request.',
      factory:
        '`{{call}}(..., fields="__all__")` builds a form that accepts every model field from the request.',
      setattr:
        '`setattr` copies every key of the request data onto `{{obj}}`: a client can set any attribute (is_admin, owner_id, price) by adding it to the request.',
      splat:
        '`{{call}}(**...)` passes request data as keyword arguments: a client can set any model field (is_admin, owner_id, price) by adding it to the request.',
      dictUpdate:
        '`{{obj}}.__dict__.update(...)` copies every key of the request data onto the object: a client can set any attribute by adding it to the request.',
    },
    docs: {
      whatItDoes:
        'Flags code that lets the request decide which model fields are written: Django `ModelForm` and DRF `ModelSerializer`/`HyperlinkedModelSerializer` whose `Meta` has `fields = "__all__"`, a `ModelForm` `Meta` with `exclude = [...]` (medium confidence), generic `CreateView`/`UpdateView` with `fields = "__all__"`, `modelform_factory(..., fields="__all__")` and the formset factories; `for k, v in request.json.items(): setattr(obj, k, v)` and its variants; `Model(**request.json)`, `Model.objects.create(**request.data)`, `obj.update(**request.get_json())` and `obj.__dict__.update(request.json)`. Request data is recognised through `flask.request` (and Quart/Bottle/Sanic) or a view\'s `request` parameter, directly or through a name bound once to it. Explicit field lists, loops over a fixed allow-list (`for k in ALLOWED: setattr(obj, k, data[k])`), loops that test the key (`if k in ALLOWED`), comprehensions with an `if` filter, and `.update(**data)` on plain dictionaries are not flagged. Form and serializer classes defined through a project base class in another module are not followed.',
      whyBad:
        'Models usually carry fields that users must not control: `is_admin`, `is_staff`, `role`, `owner`, `account_id`, `price`, `balance`, `email_verified`. When the set of writable fields is "whatever the model has" or "whatever the client sent", a client only has to add `"is_admin": true` to a profile update to become an administrator (the 2012 GitHub/Rails incident is the classic case). `exclude` lists fail open: a sensitive field added to the model later is writable until someone remembers to exclude it.',
      example:
        'from django import forms\nfrom flask import request\n\nclass ProfileForm(forms.ModelForm):\n    class Meta:\n        model = Profile\n        fields = "__all__"\n\n@app.route("/profile", methods=["POST"])\n@login_required\ndef update_profile():\n    for key, value in request.json.items():\n        setattr(current_user, key, value)\n    db.session.commit()',
      useInstead:
        'from django import forms\nfrom flask import request\n\nclass ProfileForm(forms.ModelForm):\n    class Meta:\n        model = Profile\n        fields = ["display_name", "bio", "avatar"]\n\nEDITABLE = {"display_name", "bio"}\n\n@app.route("/profile", methods=["POST"])\n@login_required\ndef update_profile():\n    for key in EDITABLE & request.json.keys():\n        setattr(current_user, key, request.json[key])\n    db.session.commit()',
      fixSafety:
        'No automatic fix: only the author knows which fields users may edit. List them explicitly (`fields = [...]`, a serializer\'s explicit fields with `read_only_fields` for the rest, an allow-list for `setattr`), or validate the request through a schema (marshmallow, pydantic) that declares exactly the accepted fields.',
      references: [
        'https://cheatsheetseries.owasp.org/cheatsheets/Mass_Assignment_Cheat_Sheet.html',
        'https://docs.djangoproject.com/en/stable/topics/forms/modelforms/#selecting-the-fields-to-use',
        'https://www.django-rest-framework.org/api-guide/serializers/#specifying-which-fields-to-include',
        'https://owasp.org/API-Security/editions/2023/en/0xa3-broken-object-property-level-authorization/',
      ],
    },
    fixable: false,
  },
  callFilter: (name, method) =>
    name === 'setattr' ||
    (name !== null && FORM_FACTORIES.has(name)) ||
    WRITE_METHODS.has(method) ||
    // `Model(**data)`: a resolved name must come from a models-like module (as in isModelClass);
    // an unresolved one may be a module-local class.
    (/^[A-Z]/.test(method) && (name === null || name.split('.').slice(0, -1).some((s) => MODEL_MODULE.test(s)))),
  create(ctx) {
    /** Module-level classes by name, to follow a local base class (`class BaseForm(forms.ModelForm)`). */
    const classes = new Map<string, SyntaxNode>();
    const metas: SyntaxNode[] = [];
    const editViews: SyntaxNode[] = [];

    /** The framework class `cls` derives from, following module-local bases. */
    const kindOf = (cls: SyntaxNode, depth = 0): 'form' | 'serializer' | 'view' | null => {
      if (depth > 3) return null;
      for (const base of superclassNodes(cls)) {
        const q = ctx.qualifiedName(base);
        if (q !== null) {
          if (MODEL_FORMS.has(q)) return 'form';
          if (MODEL_SERIALIZERS.has(q)) return 'serializer';
          if (EDIT_VIEWS.has(q)) return 'view';
          continue;
        }
        const local = base.type === 'identifier' ? classes.get(base.text) : undefined;
        if (local && local.id !== cls.id) {
          const k = kindOf(local, depth + 1);
          if (k) return k;
        }
      }
      return null;
    };

    /** Is `callee` a model class: a module-local ORM class or one imported from a `models` module? */
    const isModelClass = (callee: SyntaxNode): boolean => {
      const c = unparen(callee);
      const last = terminalName(c);
      if (!last || !/^[A-Z]/.test(last)) return false;
      const q = ctx.qualifiedName(c);
      if (q !== null) {
        const segments = q.split('.').filter((s) => s !== '');
        return segments.slice(0, -1).some((s) => MODEL_MODULE.test(s));
      }
      if (c.type !== 'identifier') return false;
      const local = classes.get(c.text);
      if (!local || ctx.resolve(c).kind !== 'local') return false;
      return superclassNodes(local).some((b) => MODEL_BASE.test(b.text) && !/pydantic|BaseModel|Schema/.test(b.text));
    };

    return {
      class_definition(node) {
        const name = className(node);
        if (name === 'Meta') {
          if (classOfStatement(node)) metas.push(node);
          return;
        }
        if (isModuleLevel(node)) classes.set(name, node);
        editViews.push(node);
      },
      call(node) {
        const name = ctx.calleeName(node);
        if (name === 'setattr') {
          const key = argument(node, 1);
          const obj = argument(node, 0);
          if (!key || !obj || key.type !== 'identifier') return;
          const loop = loopBinding(node, key.text);
          const iterable = loop?.childForFieldName('right');
          const body = loop?.childForFieldName('body');
          if (!loop || !iterable || !body || !iteratesRequestData(ctx, iterable)) return;
          if (keyIsChecked(body, key.text)) return;
          ctx.report({ node, messageId: 'setattr', data: { obj: obj.text } });
          return;
        }
        if (name !== null && FORM_FACTORIES.has(name)) {
          if (stringValue(keywordArg(node, 'fields')) === '__all__') {
            ctx.report({ node, messageId: 'factory', data: { call: name.split('.').pop() ?? name } });
          }
          return;
        }
        const fn = node.childForFieldName('function');
        if (!fn) return;
        const m = methodCall(node);
        // `obj.__dict__.update(request.json)`
        if (m?.method === 'update' && unparen(m.receiver).type === 'attribute' && terminalName(unparen(m.receiver)) === '__dict__') {
          const arg = positionalArgs(node)[0];
          if (arg && iteratesRequestData(ctx, arg)) {
            const owner = unparen(m.receiver).childForFieldName('object');
            ctx.report({ node, messageId: 'dictUpdate', data: { obj: owner?.text ?? 'obj' } });
          }
          return;
        }
        const splat = requestSplat(ctx, node);
        if (!splat) return;
        if (m && WRITE_METHODS.has(m.method)) {
          if (onManager(m.receiver) || (m.method === 'update' && !isDictLike(ctx, m.receiver)) || isModelClass(m.receiver)) {
            ctx.report({ node, messageId: 'splat', data: { call: fn.text } });
          }
          return;
        }
        if (isModelClass(fn)) ctx.report({ node, messageId: 'splat', data: { call: fn.text } });
      },
      'module:exit'() {
        for (const meta of metas) {
          const outer = classOfStatement(meta);
          if (!outer) continue;
          const kind = kindOf(outer);
          if (kind !== 'form' && kind !== 'serializer') continue;
          const assigns = classAssignments(meta);
          const fields = assigns.get('fields');
          const exclude = assigns.get('exclude');
          if (fields && stringValue(fields.childForFieldName('right')) === '__all__') {
            ctx.report({ node: fields, messageId: 'allFields', data: { cls: className(outer) } });
          } else if (!fields && exclude && kind === 'form') {
            ctx.report({ node: exclude, messageId: 'exclude', data: { cls: className(outer) }, confidence: 'medium' });
          }
        }
        for (const cls of editViews) {
          if (kindOf(cls) !== 'view') continue;
          const fields = classAssignments(cls).get('fields');
          if (fields && stringValue(fields.childForFieldName('right')) === '__all__') {
            ctx.report({ node: fields, messageId: 'allFields', data: { cls: className(cls) } });
          }
        }
      },
    };
  },
});
