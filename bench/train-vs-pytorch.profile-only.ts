import { makeData, parseArgs, setupTfjs } from './train-vs-pytorch.lib';
import { printProfile, profileStep } from './train-vs-pytorch.profile';
const a = parseArgs(process.argv.slice(2));
const data = makeData(a.batch * 2, a.size, a.classes, a.data);
const { model } = await setupTfjs(a);
printProfile(await profileStep(model, data, a.batch, a.classes, 5, process.argv.includes('--wall') ? 'wall' : 'cpu'));
process.exit(0);
