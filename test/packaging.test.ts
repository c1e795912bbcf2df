/**
 * Packaging checks. Docker cannot run on these machines, so the Dockerfile is linted for the
 * properties that matter (stages, base images, user, health check, secrets); app.yml and
 * .env.example are checked against what the app needs and no more.
 */
import { describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ignore from 'ignore';
import { parse as parseYaml } from 'yaml';
import { Probot, Server } from 'probot';
// Probot's own logger library (a dependency of probot), to keep the server quiet in tests.
import { pino } from 'pino';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Dockerfile → stages of instructions (comments dropped, `\` continuations joined). */
function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending = '';
  let startLine = 0;
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!pending && (line === '' || line.startsWith('#'))) return;
    if (pending && line.startsWith('#')) return; // comment lines inside a continuation
    if (!pending) startLine = i + 1;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1).trim()} `;
      return;
    }
    const full = (pending + line).trim();
    pending = '';
    const m = /^(\w+)\s+([\s\S]*)$/.exec(full);
    if (!m) throw new Error(`Dockerfile line ${startLine}: cannot parse "${full}"`);
    const keyword = (m[1] ?? '').toUpperCase();
    const args = m[2] ?? '';
    if (keyword === 'FROM') {
      const f = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      stages.push({ from: f?.[1] ?? args, ...(f?.[2] ? { name: f[2] } : {}), instructions: [] });
      return;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile line ${startLine}: ${keyword} before FROM`);
    stage.instructions.push({ keyword, args, line: startLine });
  });
  return stages;
}

/** ENV/ARG assignments of an instruction: `ENV A=1 B=2` and the legacy `ENV A 1`. */
function assignments(ins: Instruction): Record<string, string> {
  const out: Record<string, string> = {};
  if (!/=/.test(ins.args.split(/\s+/)[0] ?? '')) {
    const [key, ...rest] = ins.args.split(/\s+/);
    if (key) out[key] = rest.join(' ');
    return out;
  }
  for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
    out[m[1] ?? ''] = (m[2] ?? '').replace(/^"|"$/g, '');
  }
  return out;
}

const dockerfile = read('Dockerfile');
const stages = parseDockerfile(dockerfile);
const final = stages.at(-1) as Stage;
const build = stages[0] as Stage;
const runs = (stage: Stage): string[] => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const of = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);

describe('Dockerfile', () => {
  it('is multi-stage: a named build stage and a final stage that copies from it', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    expect(build.name).toBeTruthy();
    const copies = of(final, 'COPY').map((i) => i.args);
    expect(copies).toContain(`--from=${build.name} /app/node_modules ./node_modules`);
    expect(copies).toContain(`--from=${build.name} /app/dist ./dist`);
  });

  it('uses a current Node LTS, pinned to a major version, the same image in every stage (the native addon is built for it)', () => {
    for (const s of stages) {
      const m = /^node:(\d+)(?:\.\d+){0,2}-(bookworm|trixie)-slim(@sha256:[0-9a-f]{64})?$/.exec(s.from);
      expect(m).not.toBeNull();
      // Probot 14 needs Node >= 20.18.1; 20, 22 and 24 are the LTS lines.
      expect([20, 22, 24]).toContain(Number(m?.[1]));
    }
    expect(new Set(stages.map((s) => s.from)).size).toBe(1);
  });

  it('installs with npm ci (lockfile) and ships only production dependencies', () => {
    const buildRuns = runs(build).join('\n');
    expect(buildRuns).toMatch(/\bnpm ci\b/);
    expect(buildRuns).not.toMatch(/\bnpm install\b/);
    const pruned = /\bnpm prune --omit=dev\b/.test(buildRuns) || runs(final).some((r) => /\bnpm ci\b.*--omit=dev/.test(r));
    expect(pruned).toBe(true);
    // The compiler for tree-sitter (no usable prebuild on bookworm) lives in the build stage only.
    expect(buildRuns).toMatch(/\bg\+\+/);
    expect(runs(final).join('\n')).not.toMatch(/\b(g\+\+|gcc|make|build-essential)\b/);
  });

  it('runs as a non-root user in the final stage', () => {
    const users = of(final, 'USER');
    expect(users.length).toBeGreaterThan(0);
    const user = users.at(-1)?.args.trim() ?? '';
    expect(['root', '0', '0:0', 'root:root']).not.toContain(user);
    // The user is set before the process starts and nothing after it needs root.
    const userIndex = final.instructions.indexOf(users.at(-1) as Instruction);
    expect(final.instructions.slice(userIndex).filter((i) => i.keyword === 'RUN')).toEqual([]);
  });

  it('listens on all interfaces on port 3000 in production mode', () => {
    const env = Object.assign({}, ...of(final, 'ENV').map(assignments)) as Record<string, string>;
    expect(env).toMatchObject({ HOST: '0.0.0.0', PORT: '3000', NODE_ENV: 'production', LOG_FORMAT: 'json' });
    expect(of(final, 'EXPOSE').map((i) => i.args.trim())).toContain('3000');
  });

  it("has a HEALTHCHECK against Probot's GET /ping (PONG) with node's fetch", () => {
    const checks = of(final, 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    const args = checks[0]?.args ?? '';
    expect(args).toMatch(/--interval=\d+s/);
    expect(args).toMatch(/--timeout=\d+s/);
    expect(args).toMatch(/CMD \["node", "-e", /);
    expect(args).toContain('/ping');
    expect(args).toContain("'PONG'");
    expect(args).toContain('127.0.0.1');
    // The exec-form CMD is valid JSON.
    const cmd = JSON.parse(args.slice(args.indexOf('CMD ') + 4)) as string[];
    expect(cmd[0]).toBe('node');
  });

  it('starts the app by default and keeps the CLI available', () => {
    const cmd = of(final, 'CMD').at(-1)?.args ?? '';
    // The same as `npm start`, without npm in between (signals reach Node directly).
    expect(JSON.parse(cmd)).toEqual(['node', 'dist/start.js']);
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts.start).toBe('node dist/start.js');
    // An init process: Node as PID 1 would ignore SIGTERM.
    expect(JSON.parse(of(final, 'ENTRYPOINT').at(-1)?.args ?? '[]')).toEqual(['/usr/bin/tini', '--']);
    expect(runs(final).join('\n')).toContain('ln -s /app/bin/pysec.js /usr/local/bin/pysec');
    // Probot's setup page reads app.yml from the working directory.
    expect(of(final, 'COPY').map((i) => i.args)).toContain('package.json app.yml ./');
  });

  it('bakes in no secrets: no ENV/ARG for tokens, keys or passwords, no key files copied', () => {
    for (const s of stages) {
      for (const ins of [...of(s, 'ENV'), ...of(s, 'ARG')]) {
        for (const key of Object.keys(assignments(ins))) {
          expect(key).not.toMatch(/TOKEN|SECRET|PRIVATE_KEY|PASSWORD|APP_ID|CLIENT_ID/i);
        }
      }
      for (const ins of of(s, 'COPY')) expect(ins.args).not.toMatch(/\.pem\b|\.env\b/);
    }
    expect(dockerfile).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|gh[pousr]_[A-Za-z0-9]{20,}/);
  });

  it('.dockerignore keeps secrets and local state out of the context but not what the build copies', () => {
    const ig = ignore().add(read('.dockerignore'));
    for (const path of ['.env', '.env.local', 'private-key.pem', 'node_modules/x/index.js', 'dist/index.js', '.git/config']) {
      expect([path, ig.ignores(path)]).toEqual([path, true]);
    }
    const sources = stages
      .flatMap((s) => of(s, 'COPY'))
      .filter((i) => !i.args.startsWith('--from='))
      .flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    expect(sources).toEqual(expect.arrayContaining(['package-lock.json', 'src', 'bin', 'app.yml']));
    for (const source of sources) {
      expect([source, ig.ignores(source)]).toEqual([source, false]);
    }
    expect(ig.ignores('.env.example')).toBe(false);
  });

  it("copies everything `npm run build:native` reads into the build stage, and package.json's files lists it", () => {
    const natives = [
      ...readdirSync(join(root, 'native')).filter((f) => /\.(c|h|gyp)$/.test(f)).map((f) => `native/${f}`),
      ...readdirSync(join(root, 'native', 'pgo')).map((f) => `native/pgo/${f}`),
      'scripts/build-native.mjs',
    ];
    expect(natives).toEqual(expect.arrayContaining(['native/binding.gyp', 'native/flat.c', 'native/arena.c', 'native/pgo/train.py']));
    const copied = of(build, 'COPY').flatMap((i) => i.args.split(/\s+/).slice(0, -1));
    const files = (JSON.parse(read('package.json')) as { files: string[] }).files;
    // A path is covered when it, or a directory holding it, is listed.
    const covers = (list: string[], path: string): boolean => list.some((l) => path === l || path.startsWith(`${l.replace(/\/$/, '')}/`));
    for (const source of natives) {
      expect([source, covers(copied, source)]).toEqual([source, true]);
      expect([source, covers(files, source)]).toEqual([source, true]);
    }
    expect(JSON.parse(read('package.json')).scripts['build:native']).toBe('node scripts/build-native.mjs');
  });
});

/** The HEALTHCHECK's `node -e` script, run with PORT set; resolves to its exit code. */
function runHealthcheck(port: number): Promise<number> {
  const args = of(final, 'HEALTHCHECK')[0]?.args ?? '';
  const cmd = JSON.parse(args.slice(args.indexOf('CMD ') + 4)) as string[];
  return new Promise((done) => {
    execFile(process.execPath, cmd.slice(1), { env: { PORT: String(port) }, timeout: 10_000 }, (err) => {
      done(err ? (typeof err.code === 'number' ? err.code : 99) : 0);
    });
  });
}

function listen(server: HttpServer): Promise<number> {
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port)));
}

describe('HEALTHCHECK against a real Probot 14 server', () => {
  it("passes while Probot's server answers /ping, fails once it is gone", async () => {
    // A free port (Probot treats port 0 as "unset" and would take 3000).
    const probe = createServer();
    const port = await listen(probe);
    await new Promise((done) => probe.close(done));
    const server = new Server({
      Probot: Probot.defaults({ appId: 1, privateKey: 'not-used', secret: 'not-used' }),
      host: '127.0.0.1',
      port,
      log: pino({ level: 'silent' }),
    });
    await server.load(() => {});
    await server.start();
    try {
      expect(await runHealthcheck(port)).toBe(0);
    } finally {
      await server.stop();
    }
    expect(await runHealthcheck(port)).toBe(1);
  });

  it('fails on an answer that is not PONG', async () => {
    const impostor = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('OK'));
    const port = await listen(impostor);
    try {
      expect(await runHealthcheck(port)).toBe(1);
    } finally {
      await new Promise((done) => impostor.close(done));
    }
  });
});

describe('app.yml', () => {
  const manifest = parseYaml(read('app.yml')) as Record<string, unknown>;

  it('asks for exactly the least-privilege permissions', () => {
    expect(manifest.default_permissions).toEqual({
      contents: 'read',
      metadata: 'read',
      pull_requests: 'write',
      checks: 'write',
      issues: 'read',
    });
  });

  it('subscribes to exactly the events the handlers use', () => {
    const events = manifest.default_events as string[];
    expect([...events].sort()).toEqual(['check_run', 'check_suite', 'issue_comment', 'pull_request']);
    // Every event the handlers register is in the manifest, and nothing more.
    const handlers = read('src/github/handlers.ts');
    const used = new Set([...handlers.matchAll(/'(pull_request|issue_comment|check_run|check_suite|[a-z_]+)\.[a-z_]+'/g)].map((m) => m[1]));
    expect([...used].sort()).toEqual([...events].sort());
  });

  it("leaves the webhook URL to Probot's setup page (no placeholder that would override it)", () => {
    expect(manifest.hook_attributes).toBeUndefined();
    expect(manifest.name).toBe('pysec');
  });
});

describe('.env.example', () => {
  const text = read('.env.example');
  const keys = new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]));

  it('lists every setting the app reads', () => {
    for (const key of ['APP_ID', 'PRIVATE_KEY', 'PRIVATE_KEY_PATH', 'WEBHOOK_SECRET', 'LOG_LEVEL', 'HOST', 'PORT', 'GHE_HOST', 'GHE_PROTOCOL']) {
      expect([key, keys.has(key)]).toEqual([key, true]);
    }
  });

  it('holds no secret values', () => {
    const values = Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(values.APP_ID).toBe('');
    expect(values.WEBHOOK_SECRET).toBe('');
    expect(text).not.toMatch(/BEGIN [A-Z ]*PRIVATE KEY|gh[pousr]_[A-Za-z0-9]{20,}/);
  });
});

describe('docs/github-actions.md workflows', () => {
  const doc = read('docs/github-actions.md');
  const workflows = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => parseYaml(m[1] ?? '') as Record<string, unknown>);
  type Step = { uses?: string; run?: string; env?: Record<string, string>; with?: Record<string, unknown> };
  const steps = (wf: Record<string, unknown>): Step[] =>
    Object.values(wf.jobs as Record<string, { steps: Step[] }>).flatMap((job) => job.steps);

  it('has two valid workflows: the review and the SARIF upload', () => {
    expect(workflows).toHaveLength(2);
    for (const wf of workflows) expect(Object.keys(wf)).toEqual(expect.arrayContaining(['name', 'on', 'permissions', 'jobs']));
  });

  it('review: pull_request, least privilege, no checkout, no cancel-in-progress, pysec review with the token from env', () => {
    const wf = workflows[0] as Record<string, unknown>;
    expect(Object.keys(wf.on as object)).toEqual(['pull_request']);
    expect(wf.permissions).toEqual({ contents: 'read', 'pull-requests': 'write', checks: 'write' });
    expect((wf.concurrency as Record<string, unknown>)['cancel-in-progress']).toBeUndefined();
    const all = steps(wf);
    expect(all.some((s) => s.uses?.startsWith('actions/checkout'))).toBe(false);
    const review = all.find((s) => s.run?.includes(' review '));
    expect(review?.run).toBe('node "$RUNNER_TEMP/pysec/bin/pysec.js" review --repo "$REPO" --pr "$PR"');
    expect(review?.env).toEqual({
      GITHUB_TOKEN: '${{ secrets.GITHUB_TOKEN }}',
      REPO: '${{ github.repository }}',
      PR: '${{ github.event.pull_request.number }}',
    });
  });

  it('code scanning: security-events write, pysec scan to SARIF, upload-sarif with that file', () => {
    const wf = workflows[1] as Record<string, unknown>;
    expect(wf.permissions).toMatchObject({ contents: 'read', 'security-events': 'write' });
    const all = steps(wf);
    expect(all.map((s) => s.run ?? '').join('\n')).toContain('scan . --format sarif --output pysec.sarif');
    const upload = all.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.with).toMatchObject({ sarif_file: 'pysec.sarif' });
  });
});
