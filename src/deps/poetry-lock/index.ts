import type { Manager } from '../types.js';

export const manager: Manager = 'poetry-lock';
/** File names (basename globs) this manager reads. */
export const filePatterns = ['poetry.lock'];
export const description = 'Poetry lock files (Poetry 1.x and 2.x formats): exact versions, hashes, groups and sources.';
