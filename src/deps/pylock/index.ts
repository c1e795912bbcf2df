import type { Manager } from '../types.js';

export const manager: Manager = 'pylock';
/** File names (basename globs) this manager reads (PEP 751: pylock.toml or pylock.<name>.toml). */
export const filePatterns = ['pylock.toml', 'pylock.*.toml'];
export const description = 'PEP 751 lock files (pylock.toml): exact versions, hashes, indexes and sources.';
