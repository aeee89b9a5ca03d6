/**
 * Reading profiles the person saved (table reading_profiles, migration 0003), next to the built-in ones.
 * A stored row is validated again with the contract's schema when read: a row that no longer fits
 * (edited by hand, written by another version) is left out and named, never a crash.
 */
import { BUILTIN_PROFILES, readingProfile, type ReadingProfile, type ReadingProfileInput } from '../../common/contract/ocr';
import type { ZodError } from 'zod';
import { GlyphError } from '../../common/errors';
import type { DB } from '../db/open';
import { BUILTIN, isBuiltinProfile } from './reader/profiles';

/** The reader's built-in profiles, in the order the Document view lists them. */
export function builtinProfiles(): ReadingProfile[] {
  return BUILTIN_PROFILES.map((n) => BUILTIN[n]);
}

/** A name a saved profile may not take: a built-in's, in any case, with spaces around. */
export function isBuiltinName(name: string): boolean {
  return isBuiltinProfile(name.trim().toLowerCase());
}

function refuseBuiltin(name: string, what: string): void {
  if (isBuiltinName(name)) {
    throw new GlyphError('bad_input', `"${name}" is a built-in reading profile and cannot be ${what}: use another name`);
  }
}

function issues(error: ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'profile'}: ${i.message}`).join('; ');
}

export interface StoredProfiles {
  profiles: ReadingProfile[];
  /** Rows left out because they no longer fit the schema: the name and why. */
  skipped: { name: string; reason: string }[];
}

/** Saved profiles by name (case-insensitive order). */
export function listSavedProfiles(db: DB): StoredProfiles {
  const rows = db.prepare(`SELECT name, profile FROM reading_profiles ORDER BY name COLLATE NOCASE`).all() as { name: string; profile: string }[];
  const out: StoredProfiles = { profiles: [], skipped: [] };
  for (const row of rows) {
    let json: unknown;
    try {
      json = JSON.parse(row.profile);
    } catch (e) {
      out.skipped.push({ name: row.name, reason: `not JSON (${e instanceof Error ? e.message : String(e)})` });
      continue;
    }
    const parsed = readingProfile.safeParse(json && typeof json === 'object' ? { ...json, name: row.name } : json);
    if (parsed.success) out.profiles.push(parsed.data);
    else out.skipped.push({ name: row.name, reason: issues(parsed.error) });
  }
  return out;
}

/** Built-ins first, then the saved ones; rows that do not validate are reported on the console and left out. */
export function allProfiles(db: DB, builtins: ReadingProfile[] = builtinProfiles()): ReadingProfile[] {
  const saved = listSavedProfiles(db);
  for (const s of saved.skipped) console.warn(`reading_profiles row "${s.name}" left out: ${s.reason}`);
  return [...builtins, ...saved.profiles];
}

/** Saves (or replaces) a profile under its name; built-in names are refused. */
export function saveProfile(db: DB, input: ReadingProfileInput): ReadingProfile {
  const parsed = readingProfile.safeParse({ ...input, name: input.name?.trim() });
  if (!parsed.success) {
    throw new GlyphError('validation', `Reading profile "${input.name ?? ''}": ${issues(parsed.error)}`);
  }
  const profile = parsed.data;
  refuseBuiltin(profile.name, 'replaced');
  db.prepare(
    `INSERT INTO reading_profiles (name, profile, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(name) DO UPDATE SET profile = excluded.profile, updated_at = excluded.updated_at`,
  ).run(profile.name, JSON.stringify(profile), Date.now());
  return profile;
}

/** Deletes a saved profile; false when there was none by that name. Built-in names are refused. */
export function deleteProfile(db: DB, name: string): boolean {
  refuseBuiltin(name, 'deleted');
  return db.prepare(`DELETE FROM reading_profiles WHERE name = ?`).run(name).changes > 0;
}
