import type { Handlers } from '../../../common/rpc/server';
import type { learnRequests } from '../../../common/contract/learn';
import type { CoreContext } from '../../context';
import { classifierFor, ocrModelDir } from '../model';
import { recallPage } from '../reader/page-cache';
import { resolveProfile } from '../reader/profiles';
import { compareOnData } from './compare-on-data';
import { predictionsInfo } from './predictions-info';
import { improveModel, improvePlan } from './improve';
import { learnFromTranscript, readPagesForLearning } from './learn-document';
import { useLearnedTexts } from './texts';

export type LearnHandlers = Pick<Handlers, keyof typeof learnRequests>;

export function createLearnHandlers(ctx: CoreContext): LearnHandlers {
  // The reader's language model knows the texts learned before (a database without them: the shipped one).
  try {
    useLearnedTexts(ctx.db);
  } catch {
    // A database the core opens in recovery mode has no tables to read: the shipped model.
  }
  return {
    'learn.transcript': async (p) => {
      const profile = resolveProfile(p.profile);
      let pages;
      let source: string;
      if (p.pageKey) {
        const state = recallPage(p.pageKey);
        pages = [{ index: state.page.index, layout: state.layout, classified: state.classified }];
        source = p.source ?? state.page.source;
      } else {
        const { classifier } = await classifierFor(ocrModelDir(ctx, p.model));
        pages = await readPagesForLearning(p.path!, classifier, profile, { binarize: p.binarize });
        source = p.source ?? p.path!;
      }
      const r = learnFromTranscript(ctx.db, source, pages, p.text, profile);
      if (r.samples) ctx.emit('dataset.changed', { reason: 'edit', ids: r.glyphs.map((g) => g.sampleId).filter((id) => id > 0) });
      return r;
    },
    'learn.compare': async (p) => compareOnData(ctx.db, p.a, p.b),
    'learn.predictionsInfo': async () => predictionsInfo(ctx),
    'learn.improve': async (p) => {
      const plan = improvePlan(ctx, p);
      const job = ctx.jobs.start('train', 'Improve the model on your documents', (j) => improveModel(ctx, p, j, plan));
      return { jobId: job.id };
    },
  };
}
