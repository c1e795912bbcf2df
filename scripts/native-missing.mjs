// `npm install` could not build native/ (pysec's tree flattener). pysec still works: it builds
// the same trees in JavaScript from node-tree-sitter, about three times slower. Say so once,
// where the person installing will see it, and do not fail the install.
console.warn(
  'pysec: could not build native/pysec_tree.node (needs python3, make, a C compiler and Node headers); ' +
    'pysec will build syntax trees in JavaScript instead, which is slower. Run `npm run build:native` to retry.',
);
