// The training run of the profile-guided build (scripts/build-native.mjs): parse train.py, whole
// and broken, with the instrumented addon given as the argument, so the compiler's profile
// covers the parser's usual paths and its error recovery.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const addon = require(process.argv[2]);
const python = require('tree-sitter-python');
addon.init(python.language ?? python);

const source = readFileSync(new URL('train.py', import.meta.url), 'utf8');
const lines = source.split('\n');
// Broken copies: cut mid-file, an unclosed bracket, a stray dedent, a line dropped.
const broken = [
  source.slice(0, Math.floor(source.length / 3)),
  source.replace('def chunks(items', 'def chunks((items'),
  lines.map((l, i) => (i % 37 === 5 ? l.trimStart() : l)).join('\n'),
  lines.filter((_, i) => i % 53 !== 7).join('\n'),
];
for (let round = 0; round < 60; round++) {
  if (addon.parse(source, 0) === null) throw new Error('training parse failed');
  for (const text of broken) addon.parse(text, 0);
}
