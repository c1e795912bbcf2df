/** A ScanResult for tests that build findings by hand: everything empty unless given. */
import type { Finding } from '../../src/core/types.js';
import type { ScanResult } from '../../src/scan/index.js';

export function scanResult(findings: Finding[], extra: Partial<ScanResult> = {}): ScanResult {
  return {
    findings,
    suppressed: [],
    diagnostics: [],
    skipped: [],
    syntaxErrors: [],
    notes: [],
    dependencies: { manifests: 0, packages: 0, advisories: 'off' },
    rules: [],
    stats: { filesScanned: 1, filesSkipped: 0, lines: 0, durationMs: 0 },
    ...extra,
  };
}
