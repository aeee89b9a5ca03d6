import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BUILTIN_PROFILES } from '../../../main/common/contract/ocr';
import { BUILTIN } from '../../../main/core/ocr/reader/profiles';
import { allProfiles, builtinProfiles, deleteProfile, listSavedProfiles, saveProfile } from '../../../main/core/ocr/profiles-store';
import { tmpCore } from '../../helpers/tmp';

describe('saved reading profiles', () => {
  let env: ReturnType<typeof tmpCore> | null = null;
  let side: Database.Database | null = null;
  afterEach(async () => {
    side?.close();
    side = null;
    await env?.close();
    env = null;
    vi.restoreAllMocks();
  });
  const open = () => (env = tmpCore());
  /** A second connection to the app's database, as another process would have. */
  const dbOf = (app: ReturnType<typeof tmpCore>) => (side = new Database(app.core.dbPath));

  it('ocr.profiles lists the built-ins first, then the saved ones by name', async () => {
    const app = open();
    await app.call('ocr.saveProfile', { profile: { name: 'zip codes', charset: '0-9', patterns: ['\\d\\d\\d\\d\\d'] } });
    await app.call('ocr.saveProfile', { profile: { name: 'Invoices', words: ['TOTAL', 'VAT'] } });
    const { profiles } = await app.call('ocr.profiles', {});
    expect(profiles.map((p) => p.name)).toEqual([...BUILTIN_PROFILES, 'Invoices', 'zip codes']);
    const zip = profiles.find((p) => p.name === 'zip codes')!;
    // Defaults filled in by the contract's schema.
    expect(zip).toEqual({ name: 'zip codes', charset: '0-9', patterns: ['\\d\\d\\d\\d\\d'], words: [], mainLine: false, grid: false, language: true, codes: false });
  });

  it('saving under an existing name replaces the profile; delete removes it and says whether it was there', async () => {
    const app = open();
    await app.call('ocr.saveProfile', { profile: { name: 'forms', charset: 'A-Z' } });
    const r = await app.call('ocr.saveProfile', { profile: { name: 'forms', charset: '0-9', mainLine: true } });
    expect(r.profile).toMatchObject({ name: 'forms', charset: '0-9', mainLine: true });
    expect(listSavedProfiles(dbOf(app)).profiles).toEqual([r.profile]);
    expect(await app.call('ocr.deleteProfile', { name: 'forms' })).toEqual({ deleted: true });
    expect(await app.call('ocr.deleteProfile', { name: 'forms' })).toEqual({ deleted: false });
    expect(listSavedProfiles(side!).profiles).toEqual([]);
  });

  it('refuses built-in names (any case) for save and delete, with a message naming the profile', async () => {
    const app = open();
    await expect(app.call('ocr.saveProfile', { profile: { name: 'digits', charset: 'A' } })).rejects.toMatchObject({
      type: 'bad_input',
      message: expect.stringContaining('"digits" is a built-in reading profile'),
    });
    await expect(app.call('ocr.saveProfile', { profile: { name: ' Plate ' } })).rejects.toMatchObject({ type: 'bad_input' });
    await expect(app.call('ocr.deleteProfile', { name: 'text' })).rejects.toMatchObject({ type: 'bad_input', message: expect.stringContaining('"text"') });
    await expect(app.call('ocr.saveProfile', { profile: { name: '   ' } })).rejects.toMatchObject({ type: 'validation' });
    expect((await app.call('ocr.profiles', {})).profiles.map((p) => p.name)).toEqual([...BUILTIN_PROFILES]);
  });

  it('a stored row that no longer fits the schema is left out and named, the others still load', async () => {
    const app = open();
    const db = dbOf(app);
    saveProfile(db, { name: 'good', charset: '0-9' });
    const ins = db.prepare(`INSERT INTO reading_profiles (name, profile, updated_at) VALUES (?, ?, 1)`);
    ins.run('not json', '{"charset": ');
    ins.run('wrong types', JSON.stringify({ charset: 42, mainLine: 'yes' }));
    ins.run('unknown key', JSON.stringify({ colour: 'red' }));
    ins.run('array', '[1,2]');
    const saved = listSavedProfiles(db);
    expect(saved.profiles.map((p) => p.name)).toEqual(['good']);
    expect(saved.skipped.map((s) => s.name).sort()).toEqual(['array', 'not json', 'unknown key', 'wrong types']);
    expect(saved.skipped.find((s) => s.name === 'wrong types')!.reason).toMatch(/charset/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(allProfiles(db).map((p) => p.name)).toEqual([...BUILTIN_PROFILES, 'good']);
    expect(warn).toHaveBeenCalledTimes(4);
    // The row's name wins over a name inside its JSON.
    ins.run('renamed', JSON.stringify({ name: 'other', charset: 'A-Z' }));
    expect(listSavedProfiles(db).profiles.find((p) => p.charset === 'A-Z')?.name).toBe('renamed');
    expect(deleteProfile(db, 'not json')).toBe(true);
  });

  it('ocr.profiles gives the built-ins of the reader (its BUILTIN table), in the order of the contract', async () => {
    const app = open();
    const { profiles } = await app.call('ocr.profiles', {});
    expect(profiles).toEqual(BUILTIN_PROFILES.map((n) => BUILTIN[n]));
    expect(builtinProfiles().find((p) => p.name === 'digits')!.charset).toBe('0-9');
  });
});
