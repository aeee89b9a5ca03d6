import Database from 'better-sqlite3';

export type CheckResult = { ok: true } | { ok: false; problem: string };

/**
 * Checks a database file without writing to it (read-only connection: no WAL checkpoint, no
 * migration). `quick` runs SQLite's quick_check (page structure, O(pages)); otherwise integrity_check.
 */
export function checkDatabaseFile(file: string, opts: { quick?: boolean } = {}): CheckResult {
  let db: Database.Database | null = null;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const rows = db.pragma(opts.quick ? 'quick_check(20)' : 'integrity_check(20)') as Record<string, string>[];
    const lines = rows.map((r) => String(Object.values(r)[0]));
    if (lines.length === 1 && lines[0] === 'ok') return { ok: true };
    return { ok: false, problem: lines.slice(0, 5).join('; ') || 'integrity check returned nothing' };
  } catch (e) {
    return { ok: false, problem: (e as Error).message };
  } finally {
    try {
      db?.close();
    } catch {
      // Closing a connection to a damaged file may fail too; nothing was written.
    }
  }
}
