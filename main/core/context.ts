import type { EventSink } from '../common/rpc/server';
import type { BackendPreference } from './ml/backends';
import type { DB } from './db/open';
import type { JobRegistry } from './jobs/registry';

/** What every domain's handlers get from the core. */
export interface CoreContext {
  db: DB;
  dbPath: string;
  dataDir: string;
  jobs: JobRegistry;
  emit: EventSink;
  backendPreference: BackendPreference;
}
