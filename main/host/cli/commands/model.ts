import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { GlyphError } from '../../../common/errors';
import { ARCHIVE_LIMITS, ARCHIVE_SUFFIX } from '../../../core/models/archive';
import { call, openCore, printJson } from '../context';

interface Common {
  db?: string;
  json?: boolean;
}

function modelId(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new GlyphError('bad_input', `model id '${v.slice(0, 40)}': expected a positive whole number (glyphlab model list)`);
  return n;
}

/** `glyphlab model list|export|import`: the registry from the command line; a model moves between machines as one zip file. */
export function registerModelCommands(program: Command): void {
  const model = program.command('model').description('registered models: list them, export one as a zip archive, import an archive');
  model
    .command('list')
    .description('registered models, newest first (id, name, classes, accuracy)')
    .option('--db <file>', 'database file (default: the app’s own)')
    .option('--json', 'print the list as JSON')
    .action(async (opts: Common) => {
      const core = openCore({ db: opts.db });
      try {
        const list = await call(core, 'models.list', {});
        if (opts.json) return printJson(list);
        for (const m of list.models) {
          const acc = m.accuracy === null ? '' : `  ${m.figuresSplit ?? 'validation'} accuracy ${(m.accuracy * 100).toFixed(1)}%`;
          console.log(`${m.id}\t${m.name}${m.active ? ' (active)' : ''}\t${m.classes.length} classes${acc}`);
        }
        if (!list.models.length) console.log('no models yet (train one, or glyphlab model import FILE)');
      } finally {
        await core.close();
      }
    });
  model
    .command('export')
    .description(`write a model as one zip archive (model.json, weights.bin, model.onnx, metadata.json)`)
    .argument('<id>', 'model id (glyphlab model list)')
    .option('--out <file>', `archive to write (default: <name>${ARCHIVE_SUFFIX} here)`)
    .option('--force', 'replace an existing file')
    .option('--db <file>', 'database file (default: the app’s own)')
    .option('--json', 'print {"file","bytes"} as the last line')
    .action(async (id: string, opts: Common & { out?: string; force?: boolean }) => {
      const core = openCore({ db: opts.db });
      try {
        const r = await call(core, 'models.exportArchive', { id: modelId(id) });
        const out = path.resolve(opts.out ?? r.name);
        if (!opts.force && fs.existsSync(out)) throw new GlyphError('conflict', `${out}: exists (use --force to replace it)`);
        const data = Buffer.from(r.data, 'base64');
        const tmp = `${out}.tmp-${process.pid}`;
        fs.writeFileSync(tmp, data);
        fs.renameSync(tmp, out);
        if (opts.json) printJson({ file: out, bytes: data.length });
        else console.log(`wrote ${out} (${data.length} bytes)`);
      } finally {
        await core.close();
      }
    });
  model
    .command('import')
    .description('register the model in a zip archive written by glyphlab model export (or the app)')
    .argument('<file>', 'the archive')
    .option('--name <name>', 'name to give it (default: the one in its metadata)')
    .option('--db <file>', 'database file (default: the app’s own)')
    .option('--json', 'print the model as JSON')
    .action(async (file: string, opts: Common & { name?: string }) => {
      let st: fs.Stats;
      try {
        st = fs.statSync(file);
      } catch (e) {
        throw new GlyphError('not_found', `${file}: cannot read the archive (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      }
      if (!st.isFile()) throw new GlyphError('bad_input', `${file}: not a regular file`);
      if (st.size > ARCHIVE_LIMITS.maxTotalBytes) throw new GlyphError('bad_input', `${file}: larger than ${ARCHIVE_LIMITS.maxTotalBytes} bytes`);
      const data = fs.readFileSync(file).toString('base64');
      const core = openCore({ db: opts.db });
      try {
        const m = await call(core, 'models.importArchive', { file, data, ...(opts.name ? { name: opts.name } : {}) });
        if (opts.json) printJson(m);
        else console.log(`imported model ${m.id} “${m.name}” (${m.classes.length} classes)`);
      } finally {
        await core.close();
      }
    });
}
