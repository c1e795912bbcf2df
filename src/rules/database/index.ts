import type { Rule } from '../../core/types.js';
import sqlStringBuilt from './sql-string-built.js';

export const rules: Rule[] = [sqlStringBuilt];
