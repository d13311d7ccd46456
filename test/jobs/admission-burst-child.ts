/**
 * One "gateway" for the cross-process admission test (redis-admission.test.ts), run as
 *   node --import tsx test/jobs/admission-burst-child.ts '<json options>'
 * It connects, prints "ready", and on "go" (stdin) admits its whole burst at once; prints
 * "admitted <json results>"; on "release" it releases each of its admitted jobs as soon as it
 * runs (promotions by either process included) and prints "released <json promoted ids>".
 * With `churn`, "go" admits its jobs one after another instead, releasing each admitted one at
 * once (so only the quotas, not "one job per member", can stop the next); `caps` and
 * `guildLimits` are the fleet's daily caps and the servers' limits sent with each admission.
 */
import { Redis } from 'ioredis';
import { createInterface } from 'node:readline';
import { RedisAdmission } from '../../src/jobs/redis-admission.js';
import type { AdmissionLimits, Admission } from '../../src/jobs/admission-rules.js';
import type { DailyCaps, GuildLimits } from '../../src/jobs/quota-rules.js';

interface Options {
  url: string;
  prefix: string;
  limits: AdmissionLimits;
  jobs: { id: string; guildId: string; userId: string }[];
  caps?: DailyCaps;
  guildLimits?: GuildLimits;
  churn?: boolean;
}

const options = JSON.parse(process.argv[2]!) as Options;
const redis = new Redis(options.url, { maxRetriesPerRequest: 1 });
const admission = new RedisAdmission(redis, { limits: options.limits, prefix: options.prefix, caps: options.caps });
const admitted: string[] = [];

async function churn(): Promise<void> {
  const results: (Admission & { id: string })[] = [];
  for (const job of options.jobs) {
    const result = await admission.admit(job, options.guildLimits);
    results.push({ id: job.id, ...result });
    if (result.ok) await admission.release(job.id);
  }
  console.log('admitted ' + JSON.stringify(results));
}

async function burst(): Promise<void> {
  if (options.churn) return churn();
  const results: (Admission & { id: string })[] = await Promise.all(
    options.jobs.map(async (job) => ({ id: job.id, ...(await admission.admit(job, options.guildLimits)) })),
  );
  for (const r of results) if (r.ok) admitted.push(r.id);
  console.log('admitted ' + JSON.stringify(results));
}

async function drain(): Promise<void> {
  const promoted: string[] = [];
  const left = new Set(admitted);
  while (left.size > 0) {
    for (const id of [...left]) {
      if ((await admission.position(id)) !== 0) continue;
      const result = await admission.release(id);
      promoted.push(...result.promoted.map((p) => p.id));
      left.delete(id);
    }
    await new Promise((r) => setTimeout(r, 2));
  }
  console.log('released ' + JSON.stringify(promoted));
}

await redis.ping();
console.log('ready');
const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  if (line === 'go') await burst();
  else if (line === 'release') await drain();
  else if (line === 'quit') break;
}
redis.disconnect();
