/* The tree-sitter runtime, from the copy vendored by the `tree-sitter` package (binding.gyp
 * puts its lib/src on the include path: gyp's make generator cannot list a source file by an
 * absolute path outside this directory). */
#include "lib.c"
