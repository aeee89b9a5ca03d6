import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let driver: Promise<string> | null = null;

/**
 * Bundles crash-driver.ts (with the core) into one ESM file, once per test process. It is written under
 * node_modules/.cache so that its bare imports (better-sqlite3...) resolve from the project.
 */
export function buildDriver(): Promise<string> {
  driver ??= (async () => {
    const out = path.join(root, 'node_modules', '.cache', 'glyphlab-tests', 'crash-driver.mjs');
    const tmp = `${out}.${process.pid}.tmp`;
    await build({
      absWorkingDir: root,
      entryPoints: ['test/helpers/crash-driver.ts'],
      outfile: tmp,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    });
    fs.renameSync(tmp, out); // atomic: parallel test files may build it at the same time
    return out;
  })();
  return driver;
}

export interface DriverLine {
  ev: string;
  t: number;
  [k: string]: unknown;
}

export interface DriverRun {
  /** True when we killed it (SIGKILL) before it exited on its own. */
  killed: boolean;
  code: number | null;
  lines: DriverLine[];
  stderr: string;
  /** ms from 'ready' to exit or kill. */
  ms: number;
}

export interface RunOptions {
  /** SIGKILL this many ms after the driver printed 'ready'. */
  killAfterMs?: number;
  /** Called for every line; return true to SIGKILL now, or a number of ms to SIGKILL after. */
  killWhen?: (line: DriverLine, lines: DriverLine[]) => boolean | number;
  /**
   * Polled every few ms once the driver is ready (e.g. for files appearing on disk): return true to
   * SIGKILL now, or a number of ms to SIGKILL after.
   */
  killPoll?: () => boolean | number;
  /** Called just before the kill (e.g. to read what is committed at that instant). */
  beforeKill?: () => void;
  timeoutMs?: number;
  /** Node options before the script (e.g. `--require` a preload; worker threads inherit them). */
  nodeArgs?: string[];
  /** Extra environment variables for the child. */
  env?: Record<string, string>;
}

/** Runs one driver op in a child process, optionally killing it with SIGKILL. */
export async function runDriver(op: string, args: Record<string, unknown>, opts: RunOptions = {}): Promise<DriverRun> {
  const script = await buildDriver();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), script, op, JSON.stringify(args)], {
      cwd: root,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: DriverLine[] = [];
    let stderr = '';
    let buf = '';
    let killed = false;
    let readyAt = 0;
    let timer: NodeJS.Timeout | null = null;
    let poll: NodeJS.Timeout | null = null;
    const schedule = (when: boolean | number | undefined) => {
      if (when === true) kill();
      else if (typeof when === 'number' && !timer) timer = setTimeout(kill, when);
    };
    const kill = () => {
      if (killed || child.exitCode !== null) return;
      opts.beforeKill?.();
      killed = true;
      child.kill('SIGKILL');
    };
    const guard = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`driver ${op} timed out; last lines: ${JSON.stringify(lines.slice(-5))}; stderr: ${stderr.slice(-2000)}`));
    }, opts.timeoutMs ?? 120_000);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => {
      buf += d;
      let i: number;
      while ((i = buf.indexOf('\n')) >= 0) {
        const text = buf.slice(0, i);
        buf = buf.slice(i + 1);
        let l: DriverLine;
        try {
          l = JSON.parse(text) as DriverLine;
        } catch {
          continue;
        }
        lines.push(l);
        if (l.ev === 'ready') {
          readyAt = Date.now();
          if (opts.killAfterMs !== undefined) timer = setTimeout(kill, opts.killAfterMs);
          const killPoll = opts.killPoll;
          if (killPoll) {
            poll = setInterval(() => {
              if (killed || timer) return;
              schedule(killPoll());
            }, 3);
          }
        }
        schedule(opts.killWhen?.(l, lines));
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => (stderr += d));
    child.on('exit', (code) => {
      clearTimeout(guard);
      if (timer) clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ killed, code, lines, stderr, ms: readyAt ? Date.now() - readyAt : 0 });
    });
  });
}

/** `n` kill offsets spread over [0, span) ms: one random point in each of n equal slices. */
export function killPoints(n: number, spanMs: number, rand: () => number = Math.random): number[] {
  return Array.from({ length: n }, (_, i) => Math.round(((i + rand()) / n) * spanMs));
}

export const LONG = process.env.GLYPHLAB_LONG_TESTS === '1';
