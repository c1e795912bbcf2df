/*
 * A per-parse memory arena for tree-sitter (see arena.h for why).
 *
 * Blocks carry a 16-byte header: their size class and capacity.
 *   small   up to 1 KB, in 16-byte classes, carved from 256 KB chunks
 *   medium  up to 64 KB, in power-of-two classes, carved from the same chunks
 *   big     above that: a plain malloc each, linked so that free() returns it at once
 *           (tree-sitter doubles its big arrays with realloc; keeping each old copy would
 *           hold twice the memory) and arena_reset() returns what is left
 * A freed small or medium block goes on its class's free list and is handed out again:
 * tree-sitter frees and allocates stack nodes and subtrees all through a parse, and the
 * arena's peak stays near what malloc's would be. Nothing is coalesced; everything goes at
 * once when the parse is over.
 */
#include "arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER 16
#define SMALL_MAX 1024
#define SMALL_CLASSES (SMALL_MAX / 16)
#define MEDIUM_MAX (64 * 1024)
#define MEDIUM_CLASSES 6 /* 2 KB, 4 KB, ... 64 KB */
#define CHUNK_SIZE (256 * 1024)
/* Chunks kept for the next parse (8 MB): all but the largest files fit. Chunks given back went
 * to the kernel and came back as fresh pages to fault in and zero at the next large file: with
 * 4 kept (1 MB), a third of a pool scan's ~120,000 page faults were the arena's, and keeping
 * 32 made the scan ~2% faster at the same peak RSS. The rest return their memory. */
#define KEEP_CHUNKS 32
#define BIG_CLASS 0xFFFF

typedef struct Chunk {
  struct Chunk *next;
  size_t pad; /* keeps the data 16-byte aligned */
} Chunk;

typedef struct Big {
  struct Big *prev, *next;
} Big;

typedef struct {
  uint32_t cls;
  uint32_t unused;
  size_t capacity;
} Header;

struct Arena {
  Chunk *chunks; /* in the order they are carved */
  Chunk *chunk;  /* the one being carved (NULL: none yet in this parse) */
  char *cursor, *limit;
  void *free_lists[SMALL_CLASSES + MEDIUM_CLASSES + 1];
  Big *big;
};

/* The arena of this thread's parse under way, read on every allocation. Initial-exec TLS: a
 * fixed offset from the thread pointer instead of a __tls_get_addr call each time (~1% of a
 * parse); it takes 8 bytes of the static TLS space glibc sets aside for libraries loaded
 * later, and should that ever be full, loading the addon fails and pysec runs without it. */
#if defined(__GNUC__) && !defined(_WIN32)
static _Thread_local Arena *current __attribute__((tls_model("initial-exec")));
#else
static _Thread_local Arena *current;
#endif

static void out_of_memory(size_t size) {
  fprintf(stderr, "pysec_tree: failed to allocate %zu bytes\n", size);
  abort();
}

Arena *arena_new(void) {
  Arena *a = calloc(1, sizeof(Arena));
  if (!a) out_of_memory(sizeof(Arena));
  return a;
}

void arena_reset(Arena *a) {
  for (Big *b = a->big; b;) {
    Big *next = b->next;
    free(b);
    b = next;
  }
  a->big = NULL;
  memset(a->free_lists, 0, sizeof(a->free_lists));
  /* Keep the first KEEP_CHUNKS chunks for the next parse; return the others. */
  Chunk **link = &a->chunks;
  for (int kept = 0; *link && kept < KEEP_CHUNKS; kept++) link = &(*link)->next;
  Chunk *c = *link;
  *link = NULL;
  while (c) {
    Chunk *next = c->next;
    free(c);
    c = next;
  }
  a->chunk = NULL;
  a->cursor = a->limit = NULL;
}

void arena_delete(Arena *a) {
  if (!a) return;
  arena_reset(a);
  for (Chunk *c = a->chunks; c;) {
    Chunk *next = c->next;
    free(c);
    c = next;
  }
  free(a);
}

void arena_enter(Arena *a) { current = a; }
void arena_leave(void) { current = NULL; }

/* `size` bytes from the chunks: the current one, else the next kept one, else a new one. */
static void *carve(Arena *a, size_t size) {
  if (!a->cursor || (size_t)(a->limit - a->cursor) < size) {
    Chunk *next = a->chunk ? a->chunk->next : a->chunks;
    if (!next) {
      next = malloc(sizeof(Chunk) + CHUNK_SIZE);
      if (!next) out_of_memory(CHUNK_SIZE);
      next->next = NULL;
      if (a->chunk) a->chunk->next = next;
      else a->chunks = next;
    }
    a->chunk = next;
    a->cursor = (char *)(next + 1);
    a->limit = a->cursor + CHUNK_SIZE;
  }
  void *p = a->cursor;
  a->cursor += size;
  return p;
}

static uint32_t class_of(size_t size, size_t *capacity) {
  if (size <= SMALL_MAX) {
    uint32_t cls = (uint32_t)((size + 15) / 16);
    if (cls == 0) cls = 1;
    *capacity = (size_t)cls * 16;
    return cls - 1;
  }
  size_t cap = 2048;
  uint32_t cls = SMALL_CLASSES;
  while (cap < size) {
    cap <<= 1;
    cls++;
  }
  *capacity = cap;
  return cls;
}

static void *arena_alloc(Arena *a, size_t size) {
  if (size > MEDIUM_MAX) {
    if (size > SIZE_MAX - sizeof(Big) - HEADER) out_of_memory(size);
    Big *b = malloc(sizeof(Big) + HEADER + size);
    if (!b) out_of_memory(size);
    b->prev = NULL;
    b->next = a->big;
    if (a->big) a->big->prev = b;
    a->big = b;
    Header *h = (Header *)(b + 1);
    h->cls = BIG_CLASS;
    h->capacity = size;
    return (char *)h + HEADER;
  }
  size_t capacity;
  uint32_t cls = class_of(size, &capacity);
  void *p = a->free_lists[cls];
  if (p) {
    a->free_lists[cls] = *(void **)p;
    return p;
  }
  Header *h = carve(a, HEADER + capacity);
  h->cls = cls;
  h->capacity = capacity;
  return (char *)h + HEADER;
}

static void arena_release(Arena *a, void *p) {
  Header *h = (Header *)((char *)p - HEADER);
  if (h->cls == BIG_CLASS) {
    Big *b = (Big *)h - 1;
    if (b->prev) b->prev->next = b->next;
    else a->big = b->next;
    if (b->next) b->next->prev = b->prev;
    free(b);
    return;
  }
  *(void **)p = a->free_lists[h->cls];
  a->free_lists[h->cls] = p;
}

static void *ts_arena_malloc(size_t size) {
  Arena *a = current;
  if (!a) {
    void *p = malloc(size);
    if (size > 0 && !p) out_of_memory(size);
    return p;
  }
  return arena_alloc(a, size);
}

static void *ts_arena_calloc(size_t count, size_t size) {
  Arena *a = current;
  if (!a) {
    void *p = calloc(count, size);
    if (count > 0 && size > 0 && !p) out_of_memory(count * size);
    return p;
  }
  if (size != 0 && count > SIZE_MAX / size) out_of_memory(SIZE_MAX);
  void *p = arena_alloc(a, count * size);
  memset(p, 0, count * size);
  return p;
}

static void ts_arena_free(void *p) {
  if (!p) return;
  Arena *a = current;
  if (!a) free(p);
  else arena_release(a, p);
}

static void *ts_arena_realloc(void *p, size_t size) {
  Arena *a = current;
  if (!a) {
    void *q = realloc(p, size);
    if (size > 0 && !q) out_of_memory(size);
    return q;
  }
  if (!p) return arena_alloc(a, size);
  Header *h = (Header *)((char *)p - HEADER);
  if (size <= h->capacity) return p;
  if (h->cls == BIG_CLASS) {
    Big *b = (Big *)h - 1;
    Big *prev = b->prev, *next = b->next;
    if (size > SIZE_MAX - sizeof(Big) - HEADER) out_of_memory(size);
    Big *grown = realloc(b, sizeof(Big) + HEADER + size);
    if (!grown) out_of_memory(size);
    if (prev) prev->next = grown;
    else a->big = grown;
    if (next) next->prev = grown;
    h = (Header *)(grown + 1);
    h->capacity = size;
    return (char *)h + HEADER;
  }
  void *q = arena_alloc(a, size);
  memcpy(q, p, h->capacity);
  arena_release(a, p);
  return q;
}

void arena_install(void (*set_allocator)(void *(*)(size_t), void *(*)(size_t, size_t), void *(*)(void *, size_t),
                                         void (*)(void *))) {
  set_allocator(ts_arena_malloc, ts_arena_calloc, ts_arena_realloc, ts_arena_free);
}
