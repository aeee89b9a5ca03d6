/**
 * Which installed font families the default model may be trained on (scripts/render-font-glyphs.ts).
 *
 * - DENY: families held out for good. The URW base-35 fonts (Nimbus, URW Bookman/Gothic, C059, P052, Z003,
 *   D050000L, Standard Symbols) and everything derived from them (TeX Gyre *, GNU FreeFont FreeSans/FreeSerif/
 *   FreeMono, gsfonts' "... L" names), and Noto (Noto Sans/Serif/Sans Mono are the project's OCR bench fonts;
 *   every Noto family is refused so no weight or variant slips through). Checked first: a denied family is
 *   refused whatever the allow lists say.
 * - HOLDOUT: families kept out of training to measure "unfamiliar print" and "other writers" (bench/font-holdout.ts).
 * - PRINT / HANDWRITING: the explicit allow list. A family in none of the lists is not used.
 * Names are compared without case, spaces, hyphens or underscores ("TeXGyreHeros" = "TeX Gyre Heros").
 */

export type FontUse = 'denied' | 'holdout-print' | 'holdout-handwriting' | 'print' | 'handwriting' | 'unlisted';

/** Patterns on the squashed name (lowercase, no spaces/hyphens/underscores). */
const DENY: RegExp[] = [
  /nimbus/,
  /urw/,
  /^(c059|p052|z003|d050000l)/,
  /texgyre/,
  /^free(sans|serif|mono)/,
  /^gnufreefont/,
  /gsfonts/,
  /^standardsymbols/,
  /^dingbats/,
  /^centuryschoolbookl/,
  /^noto/,
];

export const HOLDOUT_PRINT = ['Lato', 'Caladea', 'JetBrains Mono'];
export const HOLDOUT_HANDWRITING = ['DkgHandwriting', 'Because We Learn'];

export const PRINT = [
  'DejaVu Sans', 'DejaVu Sans Mono', 'DejaVu Serif', 'Liberation Sans', 'Liberation Sans Narrow', 'Liberation Serif',
  'Liberation Mono', 'Arimo', 'Tinos', 'Cousine', 'Carlito', 'Open Sans', 'Open Sans Condensed', 'Roboto',
  'Roboto Condensed', 'Roboto Slab', 'Cantarell', 'Fira Code', 'Inconsolata', 'Go', 'Go Medium', 'Go Mono',
  'Go Smallcaps', 'Hack', 'Oxygen-Sans', 'Oxygen Mono', 'Linux Libertine O', 'Linux Biolinum O',
  'Linux Libertine Display O', 'Linux Libertine Mono O', 'Cabin', 'Comfortaa', 'League Spartan', 'League Mono',
  'Andika', 'Charis SIL', 'Gentium Plus', 'Gentium Book Plus', 'EB Garamond', 'Vollkorn', 'Inter', 'Inter Display',
  'Karla', 'Manrope', 'B612', 'B612 Mono', 'PT Sans', 'PT Sans Narrow', 'PT Sans Caption', 'PT Serif',
  'PT Serif Caption', 'PT Mono', 'STIXGeneral', 'STIX', 'Courier Prime', 'Courier Prime Sans', 'Courier Prime Code',
  'GNUTypewriter', 'Anonymous Pro', 'mononoki', 'Fantasque Sans Mono', 'Tiresias Infofont', 'Tiresias LPfont',
  'Tiresias PCfont', 'Tiresias Signfont', 'Clear Sans', 'Clear Sans Light', 'Clear Sans Medium', 'Clear Sans Thin',
  'Quicksand', 'Quicksand Light', 'Quicksand Medium', 'Dosis', 'Play', 'Jura', 'Sora', 'OCRA', 'OCRABold',
  'OCRACondensed', 'OCRAItalic', 'OCR B', 'Roadgeek 2014 Series B', 'Roadgeek 2014 Series C',
  'Roadgeek 2014 Series D', 'Roadgeek 2014 Series E', 'Roadgeek 2014 Series EM', 'Roadgeek 2014 Series F',
  'OSP-DIN', 'Bebas Neue', 'Old Standard TT', 'Cardo', 'Junicode Two Beta', 'Tuffy', 'Aerial', 'Aerial Mono',
  'Tymes', 'Veranda', 'Rasa', 'Yrsa', 'Accanthis ADF Std', 'Baskervald ADF Std', 'Berenis ADF Pro', 'Gillius ADF',
  'Gillius ADF No2', 'Ikarius ADF Std', 'Irianis ADF Std', 'Libris ADF Std', 'Mekanus ADF Std', 'Romande ADF Std',
  'Switzera ADF', 'Tribun ADF Std', 'Universalis ADF Std', 'Verana', 'Verana Sans', 'Prociono',
  'Goudy Bookletter 1911', 'Junction', 'Fanwood', 'Fanwood Text', 'Dustismo', 'Dustismo Roman',
];

export const HANDWRITING = [
  'Because We Build', 'Because We Connect', 'Because We Create', 'Because We Mentor', 'Because We Organize', 'Breip',
  'femkeklaver', 'Humor Sans', 'Comic Neue', 'Tomson Talks', 'Kristi', 'Rufscript', 'Kaushan Script',
  'Dancing Script', 'StayPuft', 'Averia GWF', 'Steve', 'Delphine', 'Domestic Manners', 'Cabin Sketch', 'CabinSketch',
];

const squash = (family: string): string => family.toLowerCase().replace(/[\s_-]+/g, '');
const setOf = (names: string[]): Set<string> => new Set(names.map(squash));
const LISTS: [Exclude<FontUse, 'denied' | 'unlisted'>, Set<string>][] = [
  ['holdout-print', setOf(HOLDOUT_PRINT)],
  ['holdout-handwriting', setOf(HOLDOUT_HANDWRITING)],
  ['print', setOf(PRINT)],
  ['handwriting', setOf(HANDWRITING)],
];

/** True for a family held out for good (never trained on, whatever the lists say). */
export function isDeniedFamily(family: string): boolean {
  const s = squash(family);
  return DENY.some((re) => re.test(s));
}

/** What a font family may be used for. */
export function fontUse(family: string): FontUse {
  if (isDeniedFamily(family)) return 'denied';
  const s = squash(family);
  for (const [use, set] of LISTS) if (set.has(s)) return use;
  return 'unlisted';
}

/** Throws unless the family may be trained on (on the print or handwriting allow list, not denied). */
export function assertTrainable(family: string, file = ''): 'print' | 'handwriting' {
  const use = fontUse(family);
  if (use === 'print' || use === 'handwriting') return use;
  throw new Error(`font ${JSON.stringify(family)}${file ? ` (${file})` : ''} may not be trained on: ${use}`);
}
