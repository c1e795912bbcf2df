/**
 * Accuracy measurement against the labelled corpus in test/corpus: marker parsing, scoring
 * and the list of rule ids markers may name. Pure functions, shared by
 * `npm run bench:accuracy` (bench/accuracy.mjs) and test/accuracy.
 */
export * from './markers.js';
export * from './score.js';
export * from './rule-ids.js';
export * from './evaluate.js';
