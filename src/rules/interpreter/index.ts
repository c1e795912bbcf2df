import type { Rule } from '../../core/types.js';
import eolPythonRequires from './eol-python-requires.js';
import eolPythonRuntime from './eol-python-runtime.js';

export const rules: Rule[] = [eolPythonRequires, eolPythonRuntime];
