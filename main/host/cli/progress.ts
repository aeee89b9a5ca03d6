/**
 * Progress for long CLI commands: a redrawn bar on a terminal, plain lines (at most one a second)
 * when stderr is piped, nothing with --json or --quiet. Always on stderr, so stdout stays parseable.
 */
export interface Progress {
  update(done: number, total: number | null, message?: string): void;
  done(message?: string): void;
}

export function createProgress(label: string, opts: { quiet?: boolean; stream?: NodeJS.WriteStream } = {}): Progress {
  const stream = opts.stream ?? process.stderr;
  if (opts.quiet) return { update() {}, done() {} };
  const tty = Boolean(stream.isTTY);
  let last = 0;
  const started = Date.now();
  const line = (done: number, total: number | null, message?: string) => {
    const secs = (Date.now() - started) / 1000;
    const pct = total ? Math.min(100, (100 * done) / total) : null;
    const eta = total && done > 0 ? Math.max(0, (secs / done) * (total - done)) : null;
    const parts = [label];
    if (pct !== null) parts.push(`${pct.toFixed(1)}%`);
    parts.push(total ? `${done}/${total}` : String(done));
    if (eta !== null) parts.push(`ETA ${eta.toFixed(0)}s`);
    if (message) parts.push(message);
    return { text: parts.join('  '), pct };
  };
  return {
    update(done, total, message) {
      const now = Date.now();
      if (now - last < (tty ? 80 : 1000)) return;
      last = now;
      const { text, pct } = line(done, total, message);
      if (tty) {
        const width = 24;
        const filled = pct === null ? 0 : Math.round((pct / 100) * width);
        const bar = pct === null ? '' : `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] `;
        stream.write(`\r\x1b[2K${bar}${text}`.slice(0, (stream.columns || 120) + 8));
      } else {
        stream.write(`${text}\n`);
      }
    },
    done(message) {
      if (tty) stream.write('\r\x1b[2K');
      if (message) stream.write(`${label}: ${message}\n`);
    },
  };
}
