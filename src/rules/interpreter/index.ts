import type { Rule } from '../../core/types.js';
import eolPythonRequires from './eol-python-requires.js';

export const rules: Rule[] = [eolPythonRequires];
