/**
 * `npm run bench:scale [-- --json] [--stories 12] [--guilds 6] [--scenes 4]`: the same burst of
 * stories, over the fake Discord with injected provider latency, three ways: everything in one
 * process (the default), gateway + 1 render worker, gateway + 2 render workers, each with the
 * fleet running at most 2 jobs (MAX_RUNNING_JOBS=2) and 1 per server. Every part is a real process
 * (`npm start`, `npm run worker`, a Redis of its own). Reports throughput, the wait from command
 * to first progress and to delivery (p50, p95), CPU-seconds per video (every process of the run,
 * ffmpeg included), and the gateway's event-loop delay p99 (its own Prometheus metrics).
 *
 * On a 2-core machine more workers add no cores: the point is what worker mode costs over
 * in-process on one machine (docs/scaling.md turns it into capacity per machine added).
 */
import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { snowflake } from '../fakes/discord/snowflakes.js';
import { startFleet, waitForOutput, type Fleet, type Proc } from '../support/fleet.js';

const CLK_TCK = 100;

/** CPU seconds of a live process and its waited-for children (ffmpeg), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // After "pid (comm) ": state is field 3, so utime..cstime (14..17) are at 11..14 here.
  return fields.slice(11, 15).reduce((s, f) => s + Number(f), 0) / CLK_TCK;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

async function loopP99(port: number): Promise<number | undefined> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const m = /^nodejs_eventloop_lag_p99_seconds(?:\{[^}]*\})? ([\d.e+-]+)$/m.exec(text);
  return m ? Number(m[1]) * 1000 : undefined;
}

interface Run {
  mode: string;
  workers: number;
  videos: number;
  wallSeconds: number;
  videosPerMinute: number;
  firstProgressP50: number;
  firstProgressP95: number;
  deliveryP50: number;
  deliveryP95: number;
  cpuSecondsPerVideo: number;
  gatewayLoopP99Ms?: number;
}

async function run(workers: number, opts: { stories: number; guilds: number; scenes: number }): Promise<Run> {
  const metricsPort = 19000 + Math.floor(Math.random() * 1000);
  const fleet: Fleet = await startFleet({
    guilds: opts.guilds,
    redis: workers > 0,
    imageLatencyMs: [1000, 3000],
    voiceLatencyMs: [300, 1000],
    env: {
      MAX_RUNNING_JOBS: '2',
      MAX_JOBS_PER_GUILD: '1',
      MAX_QUEUE_PER_GUILD: '10',
      RENDER_CONCURRENCY: '2',
      WORKER_CONCURRENCY: workers === 1 ? '2' : '1',
      POLLINATIONS_CONCURRENCY: '10',
    },
  });
  try {
    const gateway = fleet.gateway({ METRICS_PORT: String(metricsPort) });
    await waitForOutput(fleet.discord, gateway, /logged in as/);
    const procs: Proc[] = [gateway];
    for (let i = 0; i < workers; i++) {
      const w = fleet.worker({ METRICS_PORT: String(metricsPort + 1 + i) });
      await waitForOutput(fleet.discord, w, /render worker .* ready/);
      procs.push(w);
    }
    const cpuBefore = procs.reduce((s, p) => s + cpuSeconds(p.child.pid!), 0);
    const t0 = Date.now();
    const sent = Array.from({ length: opts.stories }, (_, i) => {
      const g = fleet.guilds[i % opts.guilds]!;
      const at = Date.now();
      const r = fleet.discord.sendSlash({
        guildId: g.id,
        channelId: g.channel,
        user: { id: snowflake(), username: `u${i}` },
        name: 'story',
        options: [
          { name: 'story', type: 3, value: `Story ${i}. ${'The boat left the harbour. The gulls followed it out. '.repeat(opts.scenes)}` },
          { name: 'scenes', type: 4, value: opts.scenes },
        ],
      });
      return { ...r, at };
    });
    const delivered = (token: string) =>
      fleet.discord.record.find(
        (x) =>
          x.status === 200 &&
          x.files.some((f) => f.name === 'story.mp4') &&
          (x.token === token || x.path.endsWith(`/messages/${fleet.discord.messages(token)[0]?.id}`)),
      );
    await fleet.discord.waitFor(() => sent.every((s) => delivered(s.token)), 900_000, 'every video');
    const wall = (Date.now() - t0) / 1000;
    const cpu = procs.reduce((s, p) => s + cpuSeconds(p.child.pid!), 0) - cpuBefore;
    const firstProgress = sent.map((s) => {
      const reply = fleet.discord.messages(s.token)[0];
      const edit = fleet.discord.record.find(
        (x) =>
          (x.token === s.token || (reply && x.path.endsWith(`/messages/${reply.id}`))) &&
          /"color":5793266/.test(JSON.stringify(x.json ?? {})),
      );
      return ((edit?.at ?? NaN) - s.at) / 1000;
    });
    const delivery = sent.map((s) => (delivered(s.token)!.at - s.at) / 1000);
    const loop = await loopP99(metricsPort).catch(() => undefined);
    const r2 = (n: number) => Number(n.toFixed(2));
    return {
      mode: workers === 0 ? 'in-process' : `${workers} worker${workers > 1 ? 's' : ''}`,
      workers,
      videos: sent.length,
      wallSeconds: r2(wall),
      videosPerMinute: r2((sent.length / wall) * 60),
      firstProgressP50: r2(percentile(firstProgress, 50)),
      firstProgressP95: r2(percentile(firstProgress, 95)),
      deliveryP50: r2(percentile(delivery, 50)),
      deliveryP95: r2(percentile(delivery, 95)),
      cpuSecondsPerVideo: r2(cpu / sent.length),
      gatewayLoopP99Ms: loop === undefined ? undefined : r2(loop),
    };
  } finally {
    await fleet.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: 'boolean', default: false },
      stories: { type: 'string', default: '12' },
      guilds: { type: 'string', default: '6' },
      scenes: { type: 'string', default: '4' },
    },
  });
  const opts = { stories: Number(values.stories), guilds: Number(values.guilds), scenes: Number(values.scenes) };
  const runs: Run[] = [];
  for (const workers of [0, 1, 2]) {
    if (!values.json) process.stderr.write(`running ${workers === 0 ? 'in-process' : `${workers} worker(s)`}…\n`);
    runs.push(await run(workers, opts));
  }
  const machine = { cores: cpus().length, cpu: cpus()[0]?.model, node: process.version };
  if (values.json) {
    process.stdout.write(JSON.stringify({ machine, ...opts, runs }, null, 2) + '\n');
    return;
  }
  console.log(`${opts.stories} stories of ${opts.scenes} scenes over ${opts.guilds} servers; ${machine.cores} cores`);
  console.log('| mode | wall s | videos/min | first progress p50/p95 s | delivery p50/p95 s | CPU s/video | gateway loop p99 ms |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const r of runs)
    console.log(
      `| ${r.mode} | ${r.wallSeconds} | ${r.videosPerMinute} | ${r.firstProgressP50} / ${r.firstProgressP95} | ${r.deliveryP50} / ${r.deliveryP95} | ${r.cpuSecondsPerVideo} | ${r.gatewayLoopP99Ms ?? 'n/a'} |`,
    );
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:scale: ${(error as Error).stack ?? error}\n`);
  process.exit(1);
});
