/**
 * The tool's name and version, read from package.json. The relative path is the same from
 * src/report (ts-jest, tsx) and dist/report (the build), both two levels below the root.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function readVersion(): string {
  try {
    const pkg = require('../../package.json') as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const TOOL_NAME = 'pysec';
export const TOOL_VERSION: string = readVersion();
export const TOOL_INFORMATION_URI = 'https://github.com/pysec-dev/pysec';
