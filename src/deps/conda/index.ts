import type { Manager } from '../types.js';

export const manager: Manager = 'conda';
/** File names (basename globs) this manager reads. */
export const filePatterns = ['environment.yml', 'environment.yaml', 'environment-*.yml', 'environment-*.yaml', 'environment.*.yml', 'environment.*.yaml'];
export const description = 'conda environment files: conda package specs (match-spec syntax translated to PEP 440), the nested pip list, channels and the python pin.';
