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
#include "arena.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#ifndef _WIN32
#include <pthread.h>
#endif

#define STRIDE 10
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

/*
 * init(language) -> { symbols, fields }: keeps the grammar (tree-sitter-python's `language`
 * external) for this thread's parses, and returns the names the records refer to.
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
  s->language = lang;
  uint32_t symbols = ts_language_symbol_count(lang);
  napi_value result, names, fields;
  CHECK(napi_create_object(env, &result));
  names = string_array(env, symbols, symbol_name, lang);
  fields = string_array(env, ts_language_field_count(lang) + 1, field_name, lang);
  if (!names || !fields) return NULL;
  CHECK(napi_set_named_property(env, result, "symbols", names));
  CHECK(napi_set_named_property(env, result, "fields", fields));
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

  /* Pre-order walk. `stack` holds the indexes of the open ancestors (depth-first). */
  uint32_t cap = 64, depth = 0, n = 0;
  int32_t *stack = malloc(cap * sizeof(int32_t));
  TSTreeCursor cursor = ts_tree_cursor_new(root);
  for (;;) {
    if (n >= count) break; /* never: descendant_count counts exactly the nodes a cursor visits */
    TSNode node = ts_tree_cursor_current_node(&cursor);
    int32_t *r = out + (size_t)n * STRIDE;
    uint32_t flags = (ts_node_is_named(node) ? F_NAMED : 0) | (ts_node_is_missing(node) ? F_MISSING : 0) |
                     (ts_node_is_extra(node) ? F_EXTRA : 0) | (ts_node_has_error(node) ? F_HAS_ERROR : 0);
    TSPoint sp = ts_node_start_point(node), ep = ts_node_end_point(node);
    r[0] = (int32_t)((uint32_t)ts_node_symbol(node) | (flags << 16));
    r[1] = ts_tree_cursor_current_field_id(&cursor);
    r[2] = depth > 0 ? stack[depth - 1] : -1;
    r[3] = 0;
    r[4] = (int32_t)(ts_node_start_byte(node) >> 1);
    r[5] = (int32_t)(ts_node_end_byte(node) >> 1);
    r[6] = (int32_t)sp.row;
    r[7] = (int32_t)(sp.column >> 1);
    r[8] = (int32_t)ep.row;
    r[9] = (int32_t)(ep.column >> 1);
    n++;
    if (ts_tree_cursor_goto_first_child(&cursor)) {
      if (depth == cap) {
        cap *= 2;
        int32_t *grown = realloc(stack, cap * sizeof(int32_t));
        if (!grown) break;
        stack = grown;
      }
      stack[depth++] = (int32_t)(n - 1);
      continue;
    }
    out[(size_t)(n - 1) * STRIDE + 3] = (int32_t)n;
    bool done = false;
    while (!ts_tree_cursor_goto_next_sibling(&cursor)) {
      if (depth == 0 || !ts_tree_cursor_goto_parent(&cursor)) {
        done = true;
        break;
      }
      out[(size_t)stack[--depth] * STRIDE + 3] = (int32_t)n;
    }
    if (done) break;
  }
  while (depth > 0) out[(size_t)stack[--depth] * STRIDE + 3] = (int32_t)n;
  ts_tree_cursor_delete(&cursor);
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
  return exports;
}
