/**
 * "Read a sample page": the quickest way for a new person to see glyphlab work, with no dataset. Opens the
 * Document view and reads the first page of resources/samples with the model in use (the bundled one).
 */
import { documents } from '../views/document/document.svelte';
import { core } from './core.svelte';
import { base64ToBytes } from './download';
import { nav } from './nav.svelte';

/** Null when the read started, else why not (the pages are not installed, the core said no). */
export async function readSamplePage(): Promise<string | null> {
  let pages;
  try {
    pages = (await core.call('app.samplePages', {})).pages;
  } catch (e) {
    return `Cannot load the sample pages: ${e instanceof Error ? e.message : String(e)}`;
  }
  const page = pages[0];
  if (!page) return 'The sample pages (resources/samples) are not installed.';
  nav.view = 'document';
  await documents.open([new File([base64ToBytes(page.data)], page.name, { type: 'image/png' })]);
  return null;
}
