// `npm install` / `npm run build:native`: build native/pysec_tree.node with node-gyp.
//
// With GCC, the build is profile-guided: an instrumented build parses native/pgo/train.py
// (native/pgo/train.mjs), and the final build is optimised with that profile. tree-sitter's
// parser is branchy table-driven code, which is what profiles help most. With the tuning below,
// parse + flatten of the Python standard library is ~24% faster than a plain -O3 build (the
// profile ~18% of it), with byte-identical records.
// Any failure on the way (another compiler, no profile written, a training error, no temporary
// directory) falls back to a plain build; PYSEC_PGO=0 asks for a plain build. Exits non-zero
// only when no build succeeded (the install script then says so and pysec runs without the
// addon).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const native = join(root, 'native');
const addon = join(native, 'build', 'Release', 'pysec_tree.node');

/** node-gyp: npm's own (npm tells scripts where it is), else one on the PATH. */
function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  const script = candidates.find((c) => c && existsSync(c));
  return script ? [process.execPath, [script]] : ['node-gyp', []];
}

function gyp(extraEnv) {
  const [cmd, pre] = nodeGyp();
  const r = spawnSync(cmd, [...pre, 'rebuild', `--directory=${native}`, '--jobs=max'], {
    stdio: 'inherit',
    env: { ...process.env, ...extraEnv },
    shell: cmd === 'node-gyp' && process.platform === 'win32',
  });
  if (r.error) console.warn(`pysec: could not run node-gyp: ${r.error.message}`);
  return r.status === 0;
}

function withFlags(name, flags) {
  return [process.env[name], flags].filter(Boolean).join(' ');
}

/** True when `cc` (or $CC) is GCC: its profile flags are the ones used below. */
function isGcc() {
  const r = spawnSync(process.env.CC || 'cc', ['--version'], { encoding: 'utf8' });
  return r.status === 0 && /Free Software Foundation/.test(r.stdout) && !/clang/i.test(r.stdout);
}

/**
 * Scheduling tuned for the CPU that builds (`-mtune`, not `-march`: no instruction the oldest
 * x86-64 or arm64 lacks, so an image built on one machine still runs on another): ~5% on
 * parse + flatten on top of the profile, here on AMD EPYC.
 */
const TUNE = '-mtune=native';

/** Parse the training input with the addon just built (native/pgo/train.mjs); true when it ran clean. */
function train() {
  return spawnSync(process.execPath, [join(native, 'pgo', 'train.mjs'), addon], { stdio: 'inherit', cwd: root }).status === 0;
}

function profiledBuild() {
  const dir = mkdtempSync(join(tmpdir(), 'pysec-pgo-'));
  try {
    const generate = `${TUNE} -fprofile-generate -fprofile-update=single -fprofile-dir=${dir}`;
    if (!gyp({ CFLAGS: withFlags('CFLAGS', generate), LDFLAGS: withFlags('LDFLAGS', '-fprofile-generate') })) return false;
    if (!train()) return false;
    // -fprofile-partial-training: code the training did not reach stays optimised for speed,
    // not for size.
    const use = `${TUNE} -fprofile-use -fprofile-partial-training -fprofile-dir=${dir} -Wno-missing-profile -DPYSEC_PROFILED=1`;
    if (!gyp({ CFLAGS: withFlags('CFLAGS', use) })) return false;
    // The profiled addon must load and parse before it is kept.
    return train();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const wantProfile = process.env.PYSEC_PGO !== '0' && process.platform !== 'win32' && isGcc();
if (wantProfile) {
  let built = false;
  try {
    built = profiledBuild();
  } catch (err) {
    // No temporary directory, say: the plain build below does not need one.
    console.warn(`pysec: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (built) process.exit(0);
  console.warn('pysec: the profile-guided build of native/ failed; building it without a profile');
}
process.exit(gyp({}) ? 0 : 1);
