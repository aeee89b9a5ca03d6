import type { Command } from 'commander';

/** import, export, stats (issue: dataset studio). */
export function registerDatasetCommands(_program: Command): void {}
