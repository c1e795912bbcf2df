import type { Rule } from '../../core/types.js';
import unusedSuppression from './unused-suppression.js';

export const rules: Rule[] = [unusedSuppression];
