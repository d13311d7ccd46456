/**
 * `npm run bench:redo [-- --json] [--scenes N]`: the redo measurement of `npm run bench` on its
 * own (src/bench/redo-section.ts). Exits 1 when the promise (at most a quarter) is broken.
 */
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { formatRedo, measureRedo } from '../bench/redo-section.js';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { json: { type: 'boolean', default: false }, scenes: { type: 'string', default: '10' } } });
  const scenes = Number(values.scenes);
  if (!Number.isInteger(scenes) || scenes < 2 || scenes > 20) throw new Error('--scenes must be a whole number from 2 to 20');
  const report = await measureRedo(scenes);
  if (values.json) process.stdout.write(JSON.stringify({ ...report, cpus: cpus().length }) + '\n');
  else process.stdout.write(formatRedo(report));
  if (report.shareOfFull > report.promise) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:redo: ${(error as Error).message}\n`);
  process.exit(1);
});
