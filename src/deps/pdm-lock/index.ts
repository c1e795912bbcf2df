import type { Manager } from '../types.js';

export const manager: Manager = 'pdm-lock';
/** File names (basename globs) this manager reads. */
export const filePatterns = ['pdm.lock'];
export const description = 'PDM lock files (lock_version 3.x and 4.x): exact versions, groups, hashes and sources.';
