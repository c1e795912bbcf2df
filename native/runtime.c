/*
 * The tree-sitter runtime and the Python grammar, compiled as one translation unit.
 *
 * The runtime comes from the copy vendored by the `tree-sitter` package, the grammar from the
 * `tree-sitter-python` package, both wherever npm put them (binding.gyp puts their folders on
 * the include path: gyp's make generator cannot list a source file by an absolute path outside
 * this directory), so both stay the versions package-lock.json pins. One unit lets the compiler
 * inline across them: the grammar's lexer calls the runtime's lexer through function pointers
 * for every character, and a profile-guided build turns those calls into direct, inlined ones.
 * Parse + flatten of the Python standard library got ~5% faster than with the grammar in
 * tree-sitter-python's own addon; the records are byte-identical.
 */

/*
 * Subtree reference counts without atomic instructions. The runtime counts references with
 * locked read-modify-writes (atomic.h) so that trees can be shared between threads; pysec never
 * shares one: each tree is made, flattened and dropped whole (arena.h) by the thread that
 * parsed it, and is never copied or edited. The runtime takes and drops references at nearly
 * every step of a reduce; without the locked instructions parse + flatten is ~2% faster.
 * Defining atomic.h's include guard first makes the runtime use these instead.
 */
#define TREE_SITTER_ATOMIC_H_
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

static inline size_t atomic_load(const volatile size_t *p) { return *(const size_t *)p; }
static inline uint32_t atomic_inc(volatile uint32_t *p) { return ++*(uint32_t *)p; }
static inline uint32_t atomic_dec(volatile uint32_t *p) { return --*(uint32_t *)p; }

#include "lib.c"

/* The grammar: its language function stays inside this addon (flat.c asks for it by name),
 * and the other addons in the process keep theirs. Its headers are the runtime's, already
 * included above under the same guards (the ABI versions are checked in flat.c's init). */
#define TREE_SITTER_HIDE_SYMBOLS
#include "tree-sitter-python/src/parser.c"
#include "tree-sitter-python/src/scanner.c"
