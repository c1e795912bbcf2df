/*
 * pysec_tree: tree-sitter parse + flatten in one native call.
 *
 * node-tree-sitter answers every node question (type, field, parent, next sibling, text
 * range) with an N-API call, and an analysis asks millions of them per large scan: on the
 * Python standard library the calls alone cost more than the parse. Here the tree is walked
 * once in C, right after the parse, into an Int32Array with one fixed-size record per node
 * in pre-order; the tree is then freed and every later question is an array read in JS
 * (src/python/flat-tree.ts). The records are exactly what node-tree-sitter reports for the
 * same source: test/python/flat-tree.test.ts compares them node by node.
 *
 * Record layout (STRIDE int32 per node, pre-order, root first):
 *   0  symbol | flags << 16     (symbol as ts_node_symbol: aliases applied; flags below)
 *   1  field id in the parent   (0: none)
 *   2  parent index             (-1 for the root)
 *   3  end of subtree           (index after the node's last descendant)
 *   4  start index, 5 end index (UTF-16 code units, like JS string indexes)
 *   6  start row,   7 start column (UTF-16 code units)
 *   8  end row,     9 end column
 */
#include <node_api.h>
#include <tree_sitter/api.h>
/* The runtime's internals, for the walk in flatten (binding.gyp puts lib/src on the path). */
#include "subtree.h"
#include "language.h"
#include "tree.h"
#include "arena.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifndef _WIN32
#include <pthread.h>
#endif

#define STRIDE 10
/* Defined to 1 by the profile-guided build (scripts/build-native.mjs). */
#ifndef PYSEC_PROFILED
#define PYSEC_PROFILED 0
#endif
#define F_NAMED 1
#define F_MISSING 2
#define F_EXTRA 4
#define F_HAS_ERROR 8

typedef struct {
  const TSLanguage *language;
  /* Where this thread's parses allocate (arena.h). */
  Arena *arena;
} State;

typedef struct {
  uint64_t deadline_ns;
} Deadline;

#define CHECK(call)                                      \
  do {                                                   \
    if ((call) != napi_ok) {                             \
      napi_throw_error(env, NULL, "pysec_tree: " #call); \
      return NULL;                                       \
    }                                                    \
  } while (0)

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static bool past_deadline(TSParseState *state) {
  const Deadline *d = state->payload;
  return d->deadline_ns != 0 && now_ns() > d->deadline_ns;
}

typedef struct {
  const char *text;
  uint32_t length;
} Buffer;

static const char *read_all(void *payload, uint32_t byte_index, TSPoint position, uint32_t *bytes_read) {
  (void)position;
  const Buffer *b = payload;
  if (byte_index >= b->length) {
    *bytes_read = 0;
    return "";
  }
  *bytes_read = b->length - byte_index;
  return b->text + byte_index;
}

static void finalize_state(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  State *s = data;
  arena_delete(s->arena);
  free(s);
}

static State *state_of(napi_env env) {
  State *s = NULL;
  napi_get_instance_data(env, (void **)&s);
  return s;
}

static napi_value string_array(napi_env env, uint32_t count, const char *(*name)(const TSLanguage *, uint32_t), const TSLanguage *l) {
  napi_value arr;
  if (napi_create_array_with_length(env, count, &arr) != napi_ok) return NULL;
  for (uint32_t i = 0; i < count; i++) {
    const char *n = name(l, i);
    napi_value v;
    if (n) napi_create_string_utf8(env, n, NAPI_AUTO_LENGTH, &v);
    else napi_get_null(env, &v);
    napi_set_element(env, arr, i, v);
  }
  return arr;
}

static const char *symbol_name(const TSLanguage *l, uint32_t i) { return ts_language_symbol_name(l, (TSSymbol)i); }
static const char *field_name(const TSLanguage *l, uint32_t i) { return i == 0 ? NULL : ts_language_field_name_for_id(l, (TSFieldId)i); }

/* The Python grammar compiled into this addon (runtime.c). */
const TSLanguage *tree_sitter_python(void);

/* Whether two languages are the same grammar: what the records depend on agrees. */
static bool same_grammar(const TSLanguage *a, const TSLanguage *b) {
  if (ts_language_abi_version(a) != ts_language_abi_version(b) ||
      ts_language_symbol_count(a) != ts_language_symbol_count(b) ||
      ts_language_field_count(a) != ts_language_field_count(b) ||
      ts_language_state_count(a) != ts_language_state_count(b))
    return false;
  for (uint32_t i = 0; i < ts_language_symbol_count(a); i++) {
    const char *x = ts_language_symbol_name(a, (TSSymbol)i), *y = ts_language_symbol_name(b, (TSSymbol)i);
    if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0)) return false;
  }
  for (uint32_t i = 1; i <= ts_language_field_count(a); i++) {
    const char *x = ts_language_field_name_for_id(a, (TSFieldId)i), *y = ts_language_field_name_for_id(b, (TSFieldId)i);
    if ((x == NULL) != (y == NULL) || (x && strcmp(x, y) != 0)) return false;
  }
  return true;
}

/*
 * init(language) -> { symbols, fields, builtInGrammar }: sets up this thread's parses for
 * tree-sitter-python's `language` external, and returns the names the records refer to. The
 * parses use the grammar compiled into this addon (runtime.c: faster, the same tables), unless
 * it is not the same grammar as `language` (tree-sitter-python's addon built from other
 * sources): then `language`.
 */
static napi_value init(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  void *lang = NULL;
  if (argc < 1 || napi_get_value_external(env, argv[0], &lang) != napi_ok || !lang) {
    napi_throw_type_error(env, NULL, "pysec_tree.init: expected tree-sitter-python's language");
    return NULL;
  }
  State *s = state_of(env);
  if (!s) {
    s = calloc(1, sizeof(State));
    if (!s) {
      napi_throw_error(env, NULL, "pysec_tree.init: out of memory");
      return NULL;
    }
    s->arena = arena_new();
    CHECK(napi_set_instance_data(env, s, finalize_state, NULL));
  }
  /* Each parse makes its own parser (see parse); this one only checks the grammar. */
  TSParser *check = ts_parser_new();
  bool supported = ts_parser_set_language(check, lang);
  ts_parser_delete(check);
  if (!supported) {
    napi_throw_error(env, NULL, "pysec_tree.init: the grammar's ABI version is not supported by this tree-sitter runtime");
    return NULL;
  }
  const TSLanguage *built_in = tree_sitter_python();
  if (same_grammar(built_in, lang)) lang = (void *)built_in;
  s->language = lang;
  uint32_t symbols = ts_language_symbol_count(lang);
  napi_value result, names, fields;
  CHECK(napi_create_object(env, &result));
  names = string_array(env, symbols, symbol_name, lang);
  fields = string_array(env, ts_language_field_count(lang) + 1, field_name, lang);
  if (!names || !fields) return NULL;
  CHECK(napi_set_named_property(env, result, "symbols", names));
  CHECK(napi_set_named_property(env, result, "fields", fields));
  napi_value built_in_used;
  CHECK(napi_get_boolean(env, lang == (void *)built_in, &built_in_used));
  CHECK(napi_set_named_property(env, result, "builtInGrammar", built_in_used));
  return result;
}

/*
 * parse(source, timeoutMs[, into]) -> the records, or null when the parse ran past the time
 * limit (0: none). The records go into `into` (an ArrayBuffer) when they fit, and the answer
 * is then their number of nodes; otherwise into a new ArrayBuffer, which is the answer. A
 * caller that parses file after file reuses one buffer instead of making the garbage
 * collector reclaim one per file.
 */
static napi_value flatten(napi_env env, TSTree *tree, napi_value into);

static napi_value parse(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  State *s = state_of(env);
  if (!s || !s->language) {
    napi_throw_error(env, NULL, "pysec_tree.parse: call init first");
    return NULL;
  }
  size_t length = 0;
  if (argc < 1 || napi_get_value_string_utf16(env, argv[0], NULL, 0, &length) != napi_ok) {
    napi_throw_type_error(env, NULL, "pysec_tree.parse: expected a string");
    return NULL;
  }
  if (length > UINT32_MAX / 2 - 1) {
    napi_throw_range_error(env, NULL, "pysec_tree.parse: source too large");
    return NULL;
  }
  double timeout_ms = 0;
  if (argc > 1) napi_get_value_double(env, argv[1], &timeout_ms);
  char16_t *text = malloc((length + 1) * sizeof(char16_t));
  if (!text) {
    napi_throw_error(env, NULL, "pysec_tree.parse: out of memory");
    return NULL;
  }
  size_t copied = 0;
  napi_get_value_string_utf16(env, argv[0], text, length + 1, &copied);

  Buffer buffer = { (const char *)text, (uint32_t)(length * 2) };
  TSInput input = { &buffer, read_all, TSInputEncodingUTF16LE, NULL };
  Deadline deadline = { timeout_ms > 0 ? now_ns() + (uint64_t)(timeout_ms * 1e6) : 0 };
  TSParseOptions options = { &deadline, past_deadline };
  /* Everything tree-sitter allocates from here to arena_reset lives in the arena, parser
   * included (a parser kept across parses would hold arena memory past the reset). */
  arena_enter(s->arena);
  TSParser *parser = ts_parser_new();
  ts_parser_set_language(parser, s->language);
  TSTree *tree = ts_parser_parse_with_options(parser, NULL, input, options);
  free(text);
  napi_value answer = NULL;
  if (!tree) {
    napi_get_null(env, &answer);
  } else {
    answer = flatten(env, tree, argc > 2 ? argv[2] : NULL);
  }
  /* The parser's delete also ends the grammar's external scanner, whose state the grammar
   * allocated with its own malloc. The tree is not deleted: the reset frees it whole. */
  ts_parser_delete(parser);
  arena_leave();
  arena_reset(s->arena);
  return answer;
}

/* One open node of the walk in flatten: a subtree whose children are being visited. */
typedef struct {
  const Subtree *children;
  uint32_t count, index, structural;
  /* Where the next child starts (its padding is added when it is reached). */
  Length position;
  const TSSymbol *aliases;
  const TSFieldMapEntry *fields, *fields_end;
  /* Record of the nearest visible ancestor, the field hidden ancestors pass down, and the
   * record this frame's subtree ends (-1 for a hidden node: it has no record). */
  int32_t parent;
  TSFieldId context;
  int32_t owner;
} Frame;

static inline Frame frame_of(const TSLanguage *lang, Subtree subtree, Length position, int32_t parent, TSFieldId context,
                             int32_t owner) {
  Frame f;
  f.children = ts_subtree_children(subtree);
  f.count = ts_subtree_child_count(subtree);
  f.index = 0;
  f.structural = 0;
  f.position = position;
  uint32_t production = subtree.ptr->production_id;
  f.aliases = ts_language_alias_sequence(lang, production);
  ts_language_field_map(lang, production, &f.fields, &f.fields_end);
  f.parent = parent;
  f.context = context;
  f.owner = owner;
  return f;
}

/* Room for one more frame; false when memory ran out. */
static inline bool push(Frame **stack, uint32_t *cap, uint32_t depth) {
  if (depth < *cap) return true;
  Frame *grown = realloc(*stack, (size_t)*cap * 2 * sizeof(Frame));
  if (!grown) return false;
  *stack = grown;
  *cap *= 2;
  return true;
}

/* One node's record (all but field 3, the end of its subtree), as node.c answers for it. */
static inline void emit(int32_t *r, const TSLanguage *lang, Subtree subtree, Length position, TSSymbol alias,
                        TSFieldId field, int32_t parent) {
  TSSymbol symbol = alias ? alias : ts_subtree_symbol(subtree);
  bool named = alias ? ts_language_symbol_metadata(lang, alias).named : ts_subtree_named(subtree);
  uint32_t flags = (named ? F_NAMED : 0) | (ts_subtree_missing(subtree) ? F_MISSING : 0) |
                   (ts_subtree_extra(subtree) ? F_EXTRA : 0) | (ts_subtree_error_cost(subtree) > 0 ? F_HAS_ERROR : 0);
  Length end = length_add(position, ts_subtree_size(subtree));
  r[0] = (int32_t)((uint32_t)ts_language_public_symbol(lang, symbol) | (flags << 16));
  r[1] = field;
  r[2] = parent;
  r[4] = (int32_t)(position.bytes >> 1);
  r[5] = (int32_t)(end.bytes >> 1);
  r[6] = (int32_t)position.extent.row;
  r[7] = (int32_t)(position.extent.column >> 1);
  r[8] = (int32_t)end.extent.row;
  r[9] = (int32_t)(end.extent.column >> 1);
}

/* The records of `tree`, into `into` when it is an ArrayBuffer they fit (the answer is then
 * the node count), else into a new ArrayBuffer (the answer). NULL with an exception pending
 * on failure. */
static napi_value flatten(napi_env env, TSTree *tree, napi_value into) {
  TSNode root = ts_tree_root_node(tree);
  uint32_t count = ts_node_descendant_count(root);
  size_t bytes = (size_t)count * STRIDE * sizeof(int32_t);
  void *data = NULL;
  napi_value answer;
  bool is_buffer = false;
  size_t into_length = 0;
  if (into && napi_is_arraybuffer(env, into, &is_buffer) == napi_ok && is_buffer &&
      napi_get_arraybuffer_info(env, into, &data, &into_length) == napi_ok && into_length >= bytes && data) {
    napi_create_uint32(env, count, &answer);
  } else if (napi_create_arraybuffer(env, bytes, &data, &answer) != napi_ok) {
    napi_throw_error(env, NULL, "pysec_tree.parse: out of memory");
    return NULL;
  }
  int32_t *out = data;

  /* Pre-order walk over tree-sitter's subtrees directly: the same nodes, in the same order,
   * with the same answers as a TSTreeCursor and the ts_node_* calls (tree_cursor.c and node.c
   * in the vendored runtime are the reference; test/python/flat-tree.test.ts compares the
   * records with node-tree-sitter's). A cursor re-derives each node's alias, field and
   * position from its ancestors at every step, and searches the field map once per node;
   * here each frame carries them. The cursor walk was ~19% of a parse + flatten of the
   * Python standard library; this one makes the whole 7-11% faster (what is left is mostly
   * waiting for the subtrees' memory). Hidden nodes (rules whose name starts with `_`) are
   * walked through: their visible descendants become children of the nearest visible
   * ancestor, and inherit the hidden node's field when they have none of their own. */
  const TSLanguage *lang = tree->language;
  uint32_t cap = 64, depth = 0, n = 0;
  Frame *stack = malloc(cap * sizeof(Frame));
  if (!stack) {
    napi_throw_error(env, NULL, "pysec_tree.parse: out of memory");
    return NULL;
  }
  const Subtree *root_subtree = &tree->root;
  Length root_position = ts_subtree_padding(*root_subtree);
  emit(out, lang, *root_subtree, root_position, 0, 0, -1);
  n = 1;
  if (ts_subtree_child_count(*root_subtree) > 0) {
    stack[depth++] = frame_of(lang, *root_subtree, root_position, 0, 0, 0);
  } else {
    out[3] = 1;
  }
  while (depth > 0) {
    Frame *f = &stack[depth - 1];
    if (f->index == f->count) {
      if (f->owner >= 0) out[(size_t)f->owner * STRIDE + 3] = (int32_t)n;
      depth--;
      continue;
    }
    Subtree child = f->children[f->index];
    if (f->index > 0) f->position = length_add(f->position, ts_subtree_padding(child));
    Length position = f->position;
    f->position = length_add(position, ts_subtree_size(child));
    f->index++;
    bool extra = ts_subtree_extra(child);
    TSSymbol alias = 0;
    TSFieldId field = 0;
    if (!extra) {
      uint32_t structural = f->structural++;
      if (f->aliases) alias = f->aliases[structural];
      for (const TSFieldMapEntry *m = f->fields; m < f->fields_end; m++) {
        if (!m->inherited && m->child_index == structural) {
          field = m->field_id;
          break;
        }
      }
      if (!field) field = f->context;
    }
    int32_t parent = f->parent;
    if (ts_subtree_visible(child) || alias) {
      if (n >= count) break; /* never: descendant_count counts exactly these nodes */
      emit(out + (size_t)n * STRIDE, lang, child, position, alias, field, parent);
      int32_t self = (int32_t)n++;
      if (ts_subtree_child_count(child) == 0) {
        out[(size_t)self * STRIDE + 3] = (int32_t)n;
        continue;
      }
      if (!push(&stack, &cap, depth)) break;
      stack[depth++] = frame_of(lang, child, position, self, 0, self);
    } else if (ts_subtree_visible_child_count(child) > 0) {
      if (!push(&stack, &cap, depth)) break;
      /* An extra hidden node passes no field down (the cursor stops at extras). */
      stack[depth++] = frame_of(lang, child, position, parent, extra ? 0 : field, -1);
    }
  }
  free(stack);
  if (n != count) {
    napi_throw_error(env, NULL, "pysec_tree.parse: the tree walk and the node count disagree");
    return NULL;
  }
  return answer;
}

#ifndef _WIN32
static pthread_once_t allocator_once = PTHREAD_ONCE_INIT;
static void install_allocator(void) { arena_install(ts_set_allocator); }
#endif

NAPI_MODULE_INIT() {
#ifdef _WIN32
  arena_install(ts_set_allocator);
#else
  pthread_once(&allocator_once, install_allocator);
#endif
  napi_value fn;
  napi_create_function(env, "init", NAPI_AUTO_LENGTH, init, NULL, &fn);
  napi_set_named_property(env, exports, "init", fn);
  napi_create_function(env, "parse", NAPI_AUTO_LENGTH, parse, NULL, &fn);
  napi_set_named_property(env, exports, "parse", fn);
  napi_value stride;
  napi_create_uint32(env, STRIDE, &stride);
  napi_set_named_property(env, exports, "stride", stride);
  /* Whether this build was optimised with a training profile (scripts/build-native.mjs). */
  napi_value profiled;
  napi_get_boolean(env, PYSEC_PROFILED != 0, &profiled);
  napi_set_named_property(env, exports, "profiled", profiled);
  return exports;
}
