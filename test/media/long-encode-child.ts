/**
 * A process that starts a long ffmpeg and an espeak-ng through the product's runners and waits:
 * the test kills it with SIGKILL and checks that its children die with it.
 *   node --import tsx test/media/long-encode-child.ts
 */
import { resolveFfmpeg } from '../../src/media/binaries.js';
import { runFfmpeg } from '../../src/media/run.js';

const { ffmpeg } = resolveFfmpeg();
// about a minute of work for one core: far longer than the test lives
void runFfmpeg(ffmpeg, ['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30:duration=600', '-c:v', 'libx264', '-f', 'null', '-']).catch(
  () => undefined,
);
process.stdout.write('started\n');
setInterval(() => undefined, 60_000);
