import type { Handlers } from '../../common/rpc/server';
import type { OcrRunResult, ParsedInput } from '../../common/contract';
import type { ocrRequests } from '../../common/contract/ocr';
import type { CoreContext } from '../context';
import { addCorrection } from './correct';
import { exportDocument } from './export';
import { classifierFor, ocrModelDir } from './model';
import { readDocuments, type OcrInput } from './read';
import { rereadState } from './recognize';
import { recallPage } from './reader/page-cache';
import { resolveProfile } from './reader/profiles';
import { readBoxes } from './reader/read-boxes';
import { allProfiles, deleteProfile, saveProfile } from './profiles-store';

export type OcrHandlers = Pick<Handlers, keyof typeof ocrRequests>;

type RunInput = ParsedInput<'ocr.run'>;

function inputsOf(p: RunInput): OcrInput[] {
  if (p.paths) return p.paths.map((path) => ({ path }));
  return (p.files ?? []).map((f) => ({ name: f.name, data: Buffer.from(f.data, 'base64') }));
}

async function run(ctx: CoreContext, p: RunInput, signal: AbortSignal, onPage?: (doc: number, page: number, pages: number) => void): Promise<OcrRunResult> {
  const { dir, classifier } = await classifierFor(ocrModelDir(ctx, p.model));
  const documents = await readDocuments(inputsOf(p), classifier, p.settings, { signal, onPage });
  return { documents, model: { dir, classes: classifier.classes, runtime: classifier.runtime } };
}

export function createOcrHandlers(ctx: CoreContext): OcrHandlers {
  return {
    'ocr.run': async (p, { signal }) => run(ctx, p, signal),
    'ocr.start': async (p) => {
      const total = p.paths?.length ?? p.files?.length ?? 0;
      const job = ctx.jobs.start('ocr', `OCR of ${total} file${total === 1 ? '' : 's'}`, ({ signal, progress }) =>
        run(ctx, p, signal, (doc, page, pages) => progress(doc + (page + 1) / pages, total, `file ${doc + 1}/${total}, page ${page + 1}/${pages}`)),
      );
      return { jobId: job.id };
    },
    'ocr.reread': async (p) => rereadState(recallPage(p.pageKey), p.profile),
    'ocr.readBoxes': async (p) => {
      const state = recallPage(p.pageKey);
      const profile = resolveProfile(p.profile ?? state.settings.profile);
      return { chars: await readBoxes(state, p.boxes, profile, p.crops) };
    },
    'ocr.export': async (p) => ({ format: p.format, content: exportDocument(p.document, p.format) }),
    'ocr.profiles': async () => ({ profiles: allProfiles(ctx.db) }),
    'ocr.saveProfile': async (p) => ({ profile: saveProfile(ctx.db, p.profile) }),
    'ocr.deleteProfile': async (p) => ({ deleted: deleteProfile(ctx.db, p.name) }),
    'ocr.correct': async (p) => {
      const r = addCorrection(ctx.db, p);
      ctx.emit('dataset.changed', { reason: 'edit', ids: [r.sampleId] });
      return r;
    },
  };
}
