{
  # pysec's tree flattener: parses Python with tree-sitter and hands the whole tree to JS as
  # one ArrayBuffer (see flat.c). The tree-sitter runtime is compiled from the copy vendored
  # by the `tree-sitter` package, and the Python grammar from the `tree-sitter-python`
  # package, both found wherever npm put them, so both stay the versions package-lock.json
  # pins (runtime.c compiles them together).
  "variables": {
    "ts_dir": "<!(node -p \"require('path').dirname(require.resolve('tree-sitter/package.json'))\")",
    "grammar_parent": "<!(node -p \"require('path').dirname(require('path').dirname(require.resolve('tree-sitter-python/package.json')))\")"
  },
  "targets": [
    {
      "target_name": "pysec_tree",
      "sources": ["flat.c", "arena.c", "runtime.c"],
      "include_dirs": ["<(ts_dir)/vendor/tree-sitter/lib/include", "<(ts_dir)/vendor/tree-sitter/lib/src", "<(grammar_parent)"],
      "defines": ["NAPI_VERSION=8", "_POSIX_C_SOURCE=200112L", "_DEFAULT_SOURCE"],
      # The runtime's public functions keep default visibility (api.h asks for it), and a
      # shared object's default-visibility functions may be interposed, so the compiler would
      # neither inline them nor call them directly: -fno-semantic-interposition lets it (~2%).
      "cflags": ["-std=c11", "-fvisibility=hidden", "-fno-semantic-interposition"],
      "xcode_settings": { "GCC_SYMBOLS_PRIVATE_EXTERN": "YES", "OTHER_CFLAGS": ["-std=c11"] }
    }
  ]
}
