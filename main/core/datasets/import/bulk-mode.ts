import type { DB } from '../../db/open';

/**
 * SQLite settings for a large import, restored when the last running import ends:
 * - a 64 MiB page cache (the default 2 MiB thrashes on the hash index, whose inserts land at random pages);
 * - the WAL checkpointed every 64 MiB instead of every 4 MiB (each checkpoint rewrites and syncs the pages
 *   the import keeps touching), then once at the end, so later small writes (a relabel) never pay for it.
 * Durability is unchanged: commits stay atomic and a crash keeps every committed transaction.
 */
const CACHE_KIB = 64 * 1024;
const CHECKPOINT_PAGES = 16_384;

const active = new WeakMap<DB, { count: number; cache: number; checkpoint: number }>();

export function enterBulkMode(db: DB): () => void {
  const state = active.get(db);
  if (state) state.count++;
  else {
    active.set(db, {
      count: 1,
      cache: db.pragma('cache_size', { simple: true }) as number,
      checkpoint: db.pragma('wal_autocheckpoint', { simple: true }) as number,
    });
    db.pragma(`cache_size = ${-CACHE_KIB}`);
    db.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  }
  let left = false;
  return () => {
    if (left) return;
    left = true;
    const s = active.get(db);
    if (!s || --s.count > 0 || !db.open) return;
    active.delete(db);
    db.pragma(`cache_size = ${s.cache}`);
    db.pragma(`wal_autocheckpoint = ${s.checkpoint}`);
    try {
      db.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      /* a busy database checkpoints later by itself */
    }
  };
}
