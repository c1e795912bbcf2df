import type { Manager } from '../types.js';

export const manager: Manager = 'pipfile-lock';
/** File names (basename globs) this manager reads. */
export const filePatterns = ['Pipfile.lock'];
export const description = 'pipenv lock files (Pipfile.lock, JSON): default and develop packages with versions, hashes, markers, indexes and sources.';
