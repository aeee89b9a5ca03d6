import { type Command, Option } from 'commander';
import { OCR_FORMATS, type OcrFormat } from '../../../common/contract/ocr';
import { GlyphError, isGlyphError } from '../../../common/errors';
import { call, openCore } from '../context';

interface OcrOptions {
  model?: string;
  format: OcrFormat;
  mainLine?: boolean;
  binarize: 'auto' | 'otsu' | 'sauvola';
  deskew: boolean;
  lines: boolean;
  db?: string;
}

/** `glyphlab ocr <image...>`: read documents with a model; one result per file on stdout. */
export function registerOcrCommands(program: Command): void {
  program
    .command('ocr')
    .description('read the characters of images (PNG, JPEG, WebP, TIFF) with a model')
    .argument('<image...>', 'image files')
    .option('--model <dir>', 'model folder (default: the active model, else the bundled resources/models/default)')
    .addOption(new Option('--format <format>', 'output: text (a line per line), json (an object per file), hocr, alto').choices([...OCR_FORMATS]).default('text'))
    .option('--main-line', 'keep only the line with the tallest characters (a plate number, a heading)')
    .addOption(new Option('--binarize <method>', 'ink from paper').choices(['auto', 'otsu', 'sauvola']).default('auto'))
    .option('--no-deskew', 'do not correct skew')
    .option('--no-lines', 'do not remove ruling lines (grids, underlines)')
    .option('--db <file>', 'database file (default: the app’s own)')
    .action(async (images: string[], opts: OcrOptions) => {
      const core = openCore({ db: opts.db });
      let failed = 0;
      try {
        for (const image of images) {
          try {
            const r = await call(core, 'ocr.run', {
              paths: [image],
              ...(opts.model ? { model: opts.model } : {}),
              settings: { mainLine: Boolean(opts.mainLine), binarize: opts.binarize, deskew: opts.deskew, removeLines: opts.lines },
            });
            for (const doc of r.documents) {
              const out = await call(core, 'ocr.export', { document: doc, format: opts.format });
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
