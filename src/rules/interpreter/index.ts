import type { Rule } from '../../core/types.js';

export const rules: Rule[] = [];
