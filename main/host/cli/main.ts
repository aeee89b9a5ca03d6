import { Command, CommanderError } from 'commander';
import { isGlyphError } from '../../common/errors';
import { VERSION } from '../../core/version';
import { registerInfo } from './commands/info';
import { registerServe } from './commands/serve';
import { registerDatasetCommands } from './commands/dataset';
import { registerOcrCommands } from './commands/ocr';
import { registerTrainingCommands } from './commands/training';
import { registerEvalCommand } from './commands/eval';
import { registerBackupCommands } from './commands/backup';
import { registerModelCommands } from './commands/model';
import { registerLearnCommands } from './commands/learn';
import { registerImproveCommand } from './commands/improve';

/** The `glyphlab` command line: the same core as the app, without a window. */
export function buildProgram(): Command {
  const program = new Command();
  program
    .name('glyphlab')
    .description('Curate character images, train your own recognizer, read documents with it.')
    .version(VERSION)
    .showHelpAfterError()
    .exitOverride();
  registerInfo(program);
  registerDatasetCommands(program);
  registerTrainingCommands(program);
  registerEvalCommand(program);
  registerOcrCommands(program);
  registerBackupCommands(program);
  registerModelCommands(program);
  registerLearnCommands(program);
  registerImproveCommand(program);
  registerServe(program);
  return program;
}

export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isGlyphError(e)) {
      process.stderr.write(`glyphlab: ${e.message}\n`);
      return e.type === 'validation' || e.type === 'bad_input' ? 2 : 1;
    }
    process.stderr.write(`glyphlab: ${(e as Error)?.stack ?? String(e)}\n`);
    return 1;
  }
}

const entry = process.argv[1] ?? '';
if (/cli\.(js|mjs|ts)$/.test(entry) || process.env.GLYPHLAB_CLI === '1') {
  runCli(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
