import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { bundle } from './bundle';

export interface ServeProcess {
  child: ChildProcess;
  port: number;
  token: string;
  /** Stops it; resolves with its exit code if it had already exited by itself (null: it was still alive). */
  stop(): Promise<number | null>;
}

/** Starts the browser-mode server (support/serve-child.ts) in a child process on a fresh data folder. */
export async function startServeProcess(dir: string): Promise<ServeProcess> {
  const script = await bundle('test/reliability/support/serve-child.ts');
  const site = path.join(dir, 'site');
  fs.mkdirSync(site, { recursive: true });
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>t</title>');
  const child = spawn(process.execPath, [script, path.join(dir, 'data'), site], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const first = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += String(d);
      if (out.includes('\n')) resolve(out.split('\n')[0]!);
    });
    child.once('exit', (code) => reject(new Error(`server exited (${code}): ${stderr.slice(-2000)}`)));
  });
  const { port, token } = JSON.parse(first) as { port: number; token: string };
  return {
    child,
    port,
    token,
    async stop() {
      const code = child.exitCode;
      if (code === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      return code;
    },
  };
}
