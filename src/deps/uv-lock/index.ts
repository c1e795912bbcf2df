import type { Manager } from '../types.js';

export const manager: Manager = 'uv-lock';
/** File names (basename globs) this manager reads. */
export const filePatterns = ['uv.lock'];
export const description = 'uv lock files: exact versions, hashes and sources of every locked package (the project itself excluded).';
