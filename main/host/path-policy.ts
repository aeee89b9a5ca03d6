import fs from 'node:fs';
import path from 'node:path';
import type { ParsedInput, RequestName } from '../common/contract';
import { GlyphError } from '../common/errors';
import type { Handlers } from '../common/rpc/server';

type Paths = { read: string[]; write: string[] };
const some = (...v: (string | undefined)[]) => v.filter((s): s is string => typeof s === 'string');

/**
 * Every request field that names a file or folder on this machine, read or written. The contract test
 * (test/reliability/bridge-paths.test.ts) fails when a request gains a path-like field missing here.
 */
export const PATH_FIELDS: { [K in RequestName]?: (p: ParsedInput<K>) => Paths } = {
  'dataset.import': (p) => ({ read: p.paths, write: [] }),
  'dataset.export': (p) => ({ read: [], write: [p.out] }),
  'ocr.run': (p) => ({ read: some(...(p.paths ?? []), p.model), write: [] }),
  'ocr.start': (p) => ({ read: some(...(p.paths ?? []), p.model), write: [] }),
  'models.export': (p) => ({ read: [], write: [p.out] }),
  'models.import': (p) => ({ read: [p.dir], write: [] }),
  // `file` is the uploaded archive's name (for messages), not a path on this machine.
  'models.importArchive': () => ({ read: [], write: [] }),
  'training.start': (p) => ({ read: some(p.config.initFrom), write: [] }),
  'learn.transcript': (p) => ({ read: some(p.path, p.model), write: [] }),
};

/** A path with symlinks resolved as far as it exists (a file to be written need not exist yet). */
function realish(p: string): string {
  let head = path.resolve(p);
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...tail);
    } catch {
      const up = path.dirname(head);
      if (up === head) return path.join(head, ...tail);
      tail.unshift(path.basename(head));
      head = up;
    }
  }
}

/**
 * Browser mode's confinement: the page may name files only inside folders the person chose when starting
 * the server (`glyphlab serve --allow-dir`). Paths are compared after resolving `..` and symlinks, so a
 * link inside an allowed folder that points outside it is refused too.
 */
export class PathPolicy {
  readonly roots: string[];

  constructor(roots: string[]) {
    this.roots = roots.map((r) => {
      const st = fs.statSync(r, { throwIfNoEntry: false });
      if (!st?.isDirectory()) throw new GlyphError('bad_input', `${r}: not a folder (--allow-dir needs an existing folder)`);
      return fs.realpathSync(r);
    });
  }

  allows(p: string): boolean {
    const real = realish(p);
    return this.roots.some((root) => real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep));
  }

  check(method: string, p: Paths): void {
    for (const [mode, list] of [['read', p.read], ['write', p.write]] as const) {
      for (const file of list) {
        if (this.allows(file)) continue;
        throw new GlyphError(
          'unauthorized',
          `${method}: ${file} is outside the folders this browser-mode server may ${mode} (${this.roots.join(', ')}); restart it with glyphlab serve --allow-dir <folder>`,
          { file, mode },
        );
      }
    }
  }

  /** The handler table with every path-taking request checked first. */
  confine(handlers: Handlers): Handlers {
    const out = { ...handlers } as Record<string, unknown>;
    for (const [method, fields] of Object.entries(PATH_FIELDS)) {
      const inner = handlers[method as RequestName] as (input: unknown, ctx: unknown) => unknown;
      const pathsOf = fields as (p: unknown) => Paths;
      out[method] = (input: unknown, ctx: unknown) => {
        this.check(method, pathsOf(input));
        return inner(input, ctx);
      };
    }
    return out as Handlers;
  }
}
