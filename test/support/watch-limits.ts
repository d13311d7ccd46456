/**
 * Reads the fleet's admission state from Redis itself, over and over while a test runs, and keeps
 * the peaks: jobs running in the fleet, in any one server, and waiting in any of the given servers.
 */
import type { Redis } from 'ioredis';
import { RedisAdmission } from '../../src/jobs/redis-admission.js';
import type { AdmissionLimits } from '../../src/jobs/admission-rules.js';

export interface LimitPeaks {
  fleet: number;
  guild: number;
  waiting: number;
}

export function watchLimits(redis: Redis, limits: AdmissionLimits, waitingIn: string[] = []): { stop(): Promise<LimitPeaks> } {
  const admission = new RedisAdmission(redis, { limits });
  const peaks: LimitPeaks = { fleet: 0, guild: 0, waiting: 0 };
  let watching = true;
  const loop = (async () => {
    while (watching) {
      const running = await admission.runningEntries();
      peaks.fleet = Math.max(peaks.fleet, running.length);
      const perGuild = new Map<string, number>();
      for (const e of running) perGuild.set(e.guildId, (perGuild.get(e.guildId) ?? 0) + 1);
      peaks.guild = Math.max(peaks.guild, ...perGuild.values());
      for (const g of waitingIn) peaks.waiting = Math.max(peaks.waiting, (await admission.positionsIn(g)).size);
      await new Promise((r) => setTimeout(r, 40));
    }
  })();
  return {
    async stop() {
      watching = false;
      await loop;
      return peaks;
    },
  };
}
