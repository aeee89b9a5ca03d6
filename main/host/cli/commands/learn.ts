import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { BUILTIN_PROFILES } from '../../../common/contract/ocr';
import { GlyphError, isGlyphError } from '../../../common/errors';
import { call, openCore, printJson } from '../context';
import { profileFromOptions } from './ocr';

interface LearnOptions {
  transcripts: string;
  db?: string;
  profile: (typeof BUILTIN_PROFILES)[number];
  charset?: string;
  mainLine?: boolean;
  model?: string;
  json?: boolean;
}

const MAX_CSV_BYTES = 64 * 1024 * 1024;

/**
 * A transcripts CSV: lines `file,text` (an optional `file,text` header; the text is everything after
 * the first comma, or one double-quoted field with "" for a quote). Keys: the path as written and its base name.
 */
export function readTranscripts(file: string): Map<string, string> {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new GlyphError('not_found', `${file}: cannot read the transcripts (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!st.isFile()) throw new GlyphError('bad_input', `${file}: the transcripts are not a regular file`);
  if (st.size > MAX_CSV_BYTES) throw new GlyphError('bad_input', `${file}: the transcripts file is larger than 64 MB`);
  const out = new Map<string, string>();
  fs.readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (!line.trim() || (i === 0 && /^\s*file\s*,\s*text\s*$/i.test(line))) return;
      const comma = line.indexOf(',');
      if (comma <= 0) throw new GlyphError('bad_input', `${file}:${i + 1}: not 'file,text'`);
      const name = line.slice(0, comma).trim().replace(/^"(.*)"$/, '$1');
      let text = line.slice(comma + 1).trim();
      if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) text = text.slice(1, -1).replace(/""/g, '"');
      text = text.replace(/\\n/g, '\n');
      out.set(name, text);
      if (!out.has(path.basename(name))) out.set(path.basename(name), text);
    });
  return out;
}

function transcriptFor(map: Map<string, string>, image: string): string | undefined {
  return map.get(image) ?? map.get(path.resolve(image)) ?? map.get(path.basename(image));
}

/** `glyphlab learn <image...> --transcripts FILE.csv`: label the pages' glyphs from their transcripts. */
export function registerLearnCommands(program: Command): void {
  program
    .command('learn')
    .description('label the glyphs of pages from their transcripts (a CSV of file,text) and store them as samples')
    .argument('<image...>', 'image files')
    .requiredOption('--transcripts <file>', 'CSV of file,text (file: a path or a base name)')
    .option('--db <file>', 'database file (default: the app’s own)')
    .addOption(new Option('--profile <name>', 'reading profile the page is read with').choices([...BUILTIN_PROFILES]).default('text'))
    .option('--charset <set>', 'characters that may be read, ranges allowed (0-9A-Z)')
    .option('--main-line', 'only the line with the tallest characters (a plate number)')
    .option('--model <dir>', 'model folder (default: the active model, else the bundled default)')
    .option('--json', 'one JSON object per file, then the summary as the last line')
    .action(async (images: string[], opts: LearnOptions) => {
      const transcripts = readTranscripts(opts.transcripts);
      const profile = profileFromOptions({ ...opts, pattern: [] });
      const core = openCore({ db: opts.db });
      const total = { pages: 0, samples: 0, unaligned: 0, errors: [] as { file: string; reason: string }[] };
      try {
        for (const image of images) {
          const text = transcriptFor(transcripts, image);
          if (text === undefined || !text.trim()) {
            total.errors.push({ file: image, reason: `no transcript in ${opts.transcripts}` });
            continue;
          }
          try {
            const r = await call(core, 'learn.transcript', { path: image, text, profile, ...(opts.model ? { model: opts.model } : {}) });
            total.pages += r.pages;
            total.samples += r.samples;
            total.unaligned += r.unaligned;
            if (opts.json) printJson({ file: image, samples: r.samples, created: r.created, unaligned: r.unaligned, unalignedText: r.unalignedText });
            else {
              const miss = r.unalignedText.map((u) => `'${u.chars}' (${u.reason})`).join('; ');
              console.log(`${image}: ${r.samples} sample${r.samples === 1 ? '' : 's'}${r.unaligned ? `, ${r.unaligned} not aligned: ${miss}` : ''}`);
            }
          } catch (e) {
            if (isGlyphError(e) && e.type === 'not_found' && /model/.test(e.message)) throw e;
            total.errors.push({ file: image, reason: e instanceof Error ? e.message : String(e) });
          }
        }
      } finally {
        await core.close();
      }
      if (opts.json) printJson(total);
      else {
        for (const err of total.errors) process.stderr.write(`glyphlab: ${err.file}: ${err.reason}\n`);
        console.log(`${total.pages} page${total.pages === 1 ? '' : 's'}: ${total.samples} samples stored, ${total.unaligned} characters not aligned`);
      }
    });
}
