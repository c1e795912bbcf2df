import type { Rule } from '../../core/types.js';
import dynamicCodeExecution from './dynamic-code-execution.js';

export const rules: Rule[] = [dynamicCodeExecution];
