#!/usr/bin/env node
// Print the named-node tree of a Python file, with field names: `node scripts/dump-tree.cjs file.py`.
// A development aid for writing rules.
const Parser = require('tree-sitter');
const Python = require('tree-sitter-python');

const parser = new Parser();
parser.setLanguage(Python);
const source = require('node:fs').readFileSync(process.argv[2], 'utf8');
const tree = parser.parse(source);

function print(node, depth, field) {
  const label = `${'  '.repeat(depth)}${field ? `${field}: ` : ''}${node.type}`;
  console.log(node.childCount === 0 ? `${label} ${JSON.stringify(node.text)}` : label);
  const cursor = node.walk();
  if (!cursor.gotoFirstChild()) return;
  do {
    if (cursor.nodeIsNamed) print(cursor.currentNode, depth + 1, cursor.currentFieldName);
  } while (cursor.gotoNextSibling());
}

print(tree.rootNode, 0);
