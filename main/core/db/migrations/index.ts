import type { Migration } from '../migration';
import { migration0001 } from './0001-dataset';
import { migration0002 } from './0002-models';
import { migration0003 } from './0003-reading-profiles';
import { migration0004 } from './0004-transcript-edits';

/** Every migration, in order. A released migration is never edited: add the next number instead. */
export const MIGRATIONS: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004];

export const LATEST_VERSION = MIGRATIONS.length;
