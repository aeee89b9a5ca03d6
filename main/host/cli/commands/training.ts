import type { Command } from 'commander';

/** train, eval (issue: training and evaluation). */
export function registerTrainingCommands(_program: Command): void {}
