import fs from 'node:fs';
import { type Command, Option } from 'commander';
import { BUILTIN_PROFILES, OCR_FORMATS, readingProfile, type OcrFormat, type ReadingProfile } from '../../../common/contract/ocr';
import { GlyphError, isGlyphError } from '../../../common/errors';
import { BUILTIN } from '../../../core/ocr/reader/profiles';
import { call } from '../context';
import { openCoreToRead } from '../read-core';

interface OcrOptions {
  model?: string;
  format: OcrFormat;
  profile: (typeof BUILTIN_PROFILES)[number];
  charset?: string;
  pattern: string[];
  words?: string;
  mainLine?: boolean;
  binarize: 'auto' | 'otsu' | 'sauvola';
  deskew: boolean;
  lines: boolean;
  db?: string;
}

const MAX_WORDS_BYTES = 16 * 1024 * 1024;

/** The profile the options ask for: a built-in one, with --charset, --pattern, --words and --main-line on top. */
export function profileFromOptions(opts: Pick<OcrOptions, 'profile' | 'charset' | 'pattern' | 'words' | 'mainLine'>): ReadingProfile | (typeof BUILTIN_PROFILES)[number] {
  const custom = opts.charset !== undefined || opts.pattern.length > 0 || opts.words !== undefined || opts.mainLine;
  if (!custom) return opts.profile;
  let words: string[] = [];
  if (opts.words !== undefined) {
    let st: fs.Stats;
    try {
      st = fs.statSync(opts.words);
    } catch (e) {
      throw new GlyphError('not_found', `${opts.words}: cannot read the word list (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
    if (!st.isFile()) throw new GlyphError('bad_input', `${opts.words}: the word list is not a regular file`);
    if (st.size > MAX_WORDS_BYTES) throw new GlyphError('bad_input', `${opts.words}: the word list is larger than 16 MB`);
    words = fs
      .readFileSync(opts.words, 'utf8')
      .split(/\r?\n/)
      .map((w) => w.trim().toUpperCase())
      .filter((w) => w.length > 0 && w.length <= 64)
      .slice(0, 100_000);
  }
  const r = readingProfile.safeParse({
    ...BUILTIN[opts.profile],
    ...(opts.charset !== undefined ? { charset: opts.charset } : {}),
    ...(opts.pattern.length ? { patterns: opts.pattern } : {}),
    ...(words.length ? { words } : {}),
    ...(opts.mainLine ? { mainLine: true } : {}),
  });
  if (!r.success) throw new GlyphError('bad_input', `reading profile: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** `glyphlab ocr <image...>`: read documents with a model; one result per file on stdout. */
export function registerOcrCommands(program: Command): void {
  program
    .command('ocr')
    .description('read the characters of images (PNG, JPEG, WebP, TIFF) with a model')
    .argument('<image...>', 'image files')
    .option('--model <dir>', 'model folder (default: the active model, else the bundled resources/models/default)')
    .addOption(new Option('--format <format>', 'output: text (a line per line), json (an object per file), hocr, alto').choices([...OCR_FORMATS]).default('text'))
    .addOption(new Option('--profile <name>', 'reading profile: text (words and numbers), digits, letters, plate (one line, letters and digits), grid (a ruled grid, cell by cell)').choices([...BUILTIN_PROFILES]).default('text'))
    .option('--charset <set>', 'characters that may be read, ranges allowed (0-9A-Z)')
    .option('--pattern <p>', 'a pattern words follow (\\d digit, \\A letter, \\c either, \\s space); repeat for several', (v: string, prev: string[]) => [...prev, v], [] as string[])
    .option('--words <file>', 'a word list to prefer (one word per line)')
    .option('--main-line', 'keep only the line with the tallest characters (a plate number, a heading)')
    .addOption(new Option('--binarize <method>', 'ink from paper').choices(['auto', 'otsu', 'sauvola']).default('auto'))
    .option('--no-deskew', 'do not correct skew')
    .option('--no-lines', 'do not remove ruling lines (grids, underlines)')
    .option('--db <file>', 'database file (default: the app’s own)')
    .action(async (images: string[], opts: OcrOptions) => {
      const profile = profileFromOptions(opts);
      const core = openCoreToRead({ db: opts.db });
      let failed = 0;
      try {
        for (const image of images) {
          try {
            const r = await call(core, 'ocr.run', {
              paths: [image],
              ...(opts.model ? { model: opts.model } : {}),
              settings: { profile, binarize: opts.binarize, deskew: opts.deskew, removeLines: opts.lines },
            });
            for (const doc of r.documents) {
              const out = await call(core, 'ocr.export', { document: doc, format: opts.format });
              // Several files as text: each under a header, as head(1) prints them.
              if (opts.format === 'text' && images.length > 1) process.stdout.write(`==> ${image} <==\n`);
              process.stdout.write(out.content);
            }
          } catch (e) {
            // A missing model fails every file alike: stop at once. Other files still get read.
            if (isGlyphError(e) && e.type === 'not_found' && /model/.test(e.message)) throw e;
            failed++;
            process.stderr.write(`glyphlab: ${e instanceof Error ? e.message : String(e)}\n`);
          }
        }
      } finally {
        await core.close();
      }
      if (failed) throw new GlyphError('bad_input', `${failed} of ${images.length} file${images.length === 1 ? '' : 's'} could not be read`);
    });
}
