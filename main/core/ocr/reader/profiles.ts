import { BUILTIN_PROFILES, readingProfile, type ReadingProfile, type ReadingProfileInput } from '../../../common/contract/ocr';
import { GlyphError } from '../../../common/errors';

/** The built-in reading profiles, in the order the Document view lists them. */
export const BUILTIN: Record<(typeof BUILTIN_PROFILES)[number], ReadingProfile> = {
  text: readingProfile.parse({ name: 'text' }),
  digits: readingProfile.parse({ name: 'digits', charset: '0-9', language: false }),
  letters: readingProfile.parse({ name: 'letters', charset: 'A-Z' }),
  // Plates hold runs of letters and of digits, not words: the tallest line only.
  plate: readingProfile.parse({ name: 'plate', charset: '0-9A-Z', mainLine: true, codes: true }),
  grid: readingProfile.parse({ name: 'grid', grid: true, language: false }),
};

export function isBuiltinProfile(name: string): name is keyof typeof BUILTIN {
  return Object.hasOwn(BUILTIN, name);
}

/** A settings' profile (a built-in name or a full profile) as a full profile. */
export function resolveProfile(p: string | ReadingProfileInput | undefined): ReadingProfile {
  if (p === undefined) return BUILTIN.text;
  if (typeof p === 'string') {
    if (!isBuiltinProfile(p)) throw new GlyphError('bad_input', `unknown reading profile '${p}' (built-in: ${BUILTIN_PROFILES.join(', ')})`);
    return BUILTIN[p];
  }
  return readingProfile.parse(p);
}

/**
 * The characters of a charset spec: single characters and ranges (`0-9A-Z`, `ABC`, `0-9XYZ`); a `-`
 * first or last is itself. Throws bad_input on a reversed range.
 */
export function parseCharset(spec: string): Set<string> {
  const out = new Set<string>();
  const cs = [...spec.replace(/\s+/g, '')];
  for (let i = 0; i < cs.length; i++) {
    const a = cs[i]!;
    if (cs[i + 1] === '-' && i + 2 < cs.length) {
      const b = cs[i + 2]!;
      const lo = a.codePointAt(0)!;
      const hi = b.codePointAt(0)!;
      if (hi < lo) throw new GlyphError('bad_input', `charset '${spec}': range ${a}-${b} runs backwards`);
      if (hi - lo > 1000) throw new GlyphError('bad_input', `charset '${spec}': range ${a}-${b} is too wide`);
      for (let c = lo; c <= hi; c++) out.add(String.fromCodePoint(c));
      i += 2;
    } else out.add(a);
  }
  return out;
}

/**
 * Per class of the model: may it be read under this profile? A charset naming none of the model's
 * classes is refused (nothing could be read).
 */
export function allowedClasses(profile: ReadingProfile, classes: string): boolean[] {
  if (!profile.charset) return [...classes].map(() => true);
  const set = parseCharset(profile.charset.toUpperCase());
  const allowed = [...classes].map((c) => set.has(c));
  if (!allowed.some(Boolean)) throw new GlyphError('bad_input', `charset '${profile.charset}' has none of the model's classes (${classes})`);
  return allowed;
}
