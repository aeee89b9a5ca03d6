/** The view shown, for code outside App.svelte that sends the person elsewhere (the sample page opens the Document view). */
export const VIEW_IDS = ['dataset', 'training', 'models', 'document'] as const;
export type ViewId = (typeof VIEW_IDS)[number];

function initial(): ViewId {
  const v = location.hash.match(/view=(\w+)/)?.[1];
  return VIEW_IDS.includes(v as ViewId) ? (v as ViewId) : 'dataset';
}

export const nav = $state<{ view: ViewId }>({ view: initial() });
