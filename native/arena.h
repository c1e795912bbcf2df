/*
 * A per-parse memory arena for tree-sitter.
 *
 * tree-sitter allocates and frees every subtree and stack node one by one, and freeing a
 * tree walks all of it again: on the Python standard library malloc, free and the final
 * ts_tree_delete took ~15% of the parse. pysec keeps nothing of a tree once it is
 * flattened, so each parse runs inside an arena instead: allocations are carved from large
 * chunks (freed blocks are reused within the parse), and the whole tree goes at once when
 * the parse is over, without walking it.
 *
 * The arena is per thread (each worker thread parses on its own) and active only between
 * arena_enter and arena_leave; outside that window tree-sitter gets plain malloc. Everything
 * allocated inside the window must be dead when it closes: flat.c creates a parser for each
 * parse and deletes it inside the window, and never keeps a tree.
 */
#ifndef PYSEC_ARENA_H
#define PYSEC_ARENA_H

#include <stddef.h>

typedef struct Arena Arena;

Arena *arena_new(void);
void arena_delete(Arena *a);
/* Route this thread's tree-sitter allocations to `a` until arena_leave. */
void arena_enter(Arena *a);
void arena_leave(void);
/* Free everything allocated in `a` (a few chunks are kept for the next parse). */
void arena_reset(Arena *a);
/* Give tree-sitter the arena-aware allocator (ts_set_allocator), once per process. */
void arena_install(void (*set_allocator)(void *(*)(size_t), void *(*)(size_t, size_t), void *(*)(void *, size_t),
                                         void (*)(void *)));

#endif
