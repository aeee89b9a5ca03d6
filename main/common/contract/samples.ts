import { z } from 'zod';
import { request } from './define';

/** A page shipped with the app (resources/samples): its image and the text it holds. */
export interface SamplePage {
  name: string;
  /** PNG, base64. */
  data: string;
  /** Ground truth, one line per text line. */
  truth: string;
  description: string;
}

export const sampleRequests = {
  'app.samplePages': request<{ pages: SamplePage[] }>()(
    z.strictObject({}),
    "The sample pages shipped in resources/samples (the quickest way to see a read with the bundled model); empty when they are not installed.",
  ),
};
