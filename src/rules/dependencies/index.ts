import type { Rule } from '../../core/types.js';
import insecurePackageIndex from './insecure-package-index.js';
import missingPackageHash from './missing-package-hash.js';
import unpinnedDependency from './unpinned-dependency.js';
import vulnerableDependency from './vulnerable-dependency.js';
import vulnerableVersionRange from './vulnerable-version-range.js';

/**
 * Catalogue entries only: these rules have no tree-sitter visitors. Their findings come from
 * the dependency pipeline (src/deps/analyze.ts), which reads manifests and lock files.
 */
export const rules: Rule[] = [vulnerableDependency, vulnerableVersionRange, unpinnedDependency, insecurePackageIndex, missingPackageHash];
