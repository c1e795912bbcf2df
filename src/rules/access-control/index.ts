import type { Rule } from '../../core/types.js';
import csrfProtectionDisabled from './csrf-protection-disabled.js';

export const rules: Rule[] = [csrfProtectionDisabled];
