/**
 * An empty array that V8 already treats as holding any value.
 *
 * An array made by `[]` starts out holding small integers only, and changes kind at its first
 * string, null or object. Optimised code that pushes onto arrays made afresh for every file
 * (the walk's event lists, the scope builder's pending names) was thrown away and compiled
 * again whenever a file's array met a push of a kind that code had not seen: several times per
 * scan thread, each costing a recompilation of the whole walk. Arrays made here never change
 * kind.
 */
export function anyArray<T>(): T[] {
  const a = [null] as unknown as T[];
  a.pop();
  return a;
}
