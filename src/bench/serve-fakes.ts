/**
 * The provider fakes as a separate process, for the benchmark (so their CPU and memory are not
 * counted as the pipeline's): prints one JSON line with their URLs, serves until stdin closes.
 *   node --import tsx src/bench/serve-fakes.ts '{"apiKey":"k","inworldKey":"k","imageLatency":[3000,8000],"voiceLatency":[500,2000],"seed":7}'
 */
import { startFakePollinations } from './fakes/pollinations.js';
import { startFakeInworld } from './fakes/inworld.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as {
  apiKey: string;
  inworldKey: string;
  imageLatency: [number, number];
  voiceLatency: [number, number];
  seed?: number;
};
const images = await startFakePollinations({ apiKey: opts.apiKey, latencyMs: opts.imageLatency, seed: opts.seed });
const voices = await startFakeInworld({ apiKey: opts.inworldKey, latencyMs: opts.voiceLatency, seed: (opts.seed ?? 0) + 1 });
process.stdout.write(JSON.stringify({ pollinations: images.url, inworld: voices.url }) + '\n');
process.stdin.resume();
process.stdin.on('end', async () => {
  await Promise.all([images.close(), voices.close()]);
  process.exit(0);
});
