import { spawn } from 'node:child_process';
import { bundle } from './bundle';

export interface HostileRun {
  ok: boolean;
  error?: string;
  pages?: number;
  maxRSSMB: number;
  ms: number;
}

/** Runs support/hostile-child.ts on one file in a child process and returns its one-line answer. */
export async function runHostile(op: 'correct' | 'load-pages', file: string, dataDir: string, timeoutMs = 180_000): Promise<HostileRun> {
  const script = await bundle('test/reliability/support/hostile-child.ts');
  const t0 = Date.now();
  const child = spawn(process.execPath, [script, op, file, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += String(d)));
  child.stderr.on('data', (d) => (stderr += String(d)));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
  clearTimeout(timer);
  const last = stdout.trim().split('\n').pop() ?? '';
  if (!last.startsWith('{')) throw new Error(`${op} ${file}: the child exited (${code}) without an answer: ${stderr.slice(-1500)}`);
  return { ...(JSON.parse(last) as Omit<HostileRun, 'ms'>), ms: Date.now() - t0 };
}
