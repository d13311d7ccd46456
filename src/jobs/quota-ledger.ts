/**
 * Quotas in in-process mode, kept in SQLite so a restart gives nobody a fresh quota: what each
 * admitted job reserved (quota_ledger) and the fleet's totals per UTC day (quota_days). `admit`
 * decides (quota-rules.ts) and reserves in one synchronous IMMEDIATE transaction, inside the
 * in-process admission decision (before its first await). A job admitted again (resumed after a
 * restart) is neither charged twice nor refused. Rows older than a week are pruned when
 * the day changes (a cooldown longer than that is not kept).
 */
import type { Statement } from 'better-sqlite3';
import { openDatabase, type Db } from '../store/open-database.js';
import {
  dayOf,
  decideQuota,
  endOfDay,
  type DailyCaps,
  type GuildLimits,
  type GuildUsage,
  type JobCost,
  type QuotaRefusal,
} from './quota-rules.js';

const KEEP_DAYS = 8;
const TOP_MEMBERS = 5;

export interface QuotaRequest {
  id: string;
  guildId: string;
  userId: string;
  cost: JobCost;
}

interface Totals {
  stories: number;
  narrationCharacters: number;
  images: number;
}

export class QuotaLedger {
  private readonly db: Db;
  private readonly sql: Record<
    'memberToday' | 'lastAdmitted' | 'fleet' | 'insert' | 'addDay' | 'get' | 'remove' | 'subDay' | 'guild' | 'top' | 'prune' | 'pruneDays',
    Statement
  >;
  private readonly decideAndReserve: (req: QuotaRequest, guild: GuildLimits | undefined, caps: DailyCaps) => QuotaRefusal | undefined;
  private prunedDay = -1;

  constructor(
    path: string,
    private readonly now: () => number = Date.now,
  ) {
    this.db = openDatabase(path);
    const totals =
      'COALESCE(SUM(stories), 0) AS stories, COALESCE(SUM(narration_characters), 0) AS narrationCharacters, COALESCE(SUM(images), 0) AS images';
    this.sql = {
      memberToday: this.db.prepare(
        'SELECT COALESCE(SUM(stories), 0) AS n FROM quota_ledger WHERE day = ? AND guild_id = ? AND user_id = ?',
      ),
      lastAdmitted: this.db.prepare('SELECT MAX(admitted_at) AS at FROM quota_ledger WHERE guild_id = ? AND user_id = ?'),
      fleet: this.db.prepare('SELECT stories, narration_characters AS narrationCharacters, images FROM quota_days WHERE day = ?'),
      insert: this.db.prepare(
        'INSERT INTO quota_ledger (job_id, day, guild_id, user_id, stories, narration_characters, images, admitted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      addDay: this.db.prepare(
        `INSERT INTO quota_days (day, stories, narration_characters, images) VALUES (?, ?, ?, ?)
         ON CONFLICT (day) DO UPDATE SET stories = stories + excluded.stories,
           narration_characters = narration_characters + excluded.narration_characters, images = images + excluded.images`,
      ),
      get: this.db.prepare('SELECT day, stories, narration_characters AS narrationCharacters, images FROM quota_ledger WHERE job_id = ?'),
      remove: this.db.prepare('DELETE FROM quota_ledger WHERE job_id = ?'),
      subDay: this.db.prepare(
        'UPDATE quota_days SET stories = stories - ?, narration_characters = narration_characters - ?, images = images - ? WHERE day = ?',
      ),
      guild: this.db.prepare(`SELECT ${totals} FROM quota_ledger WHERE day = ? AND guild_id = ?`),
      top: this.db.prepare(
        `SELECT user_id AS userId, SUM(stories) AS stories FROM quota_ledger WHERE day = ? AND guild_id = ?
         GROUP BY user_id HAVING SUM(stories) > 0 ORDER BY SUM(stories) DESC, MIN(admitted_at) LIMIT ${TOP_MEMBERS}`,
      ),
      prune: this.db.prepare('DELETE FROM quota_ledger WHERE day < ?'),
      pruneDays: this.db.prepare('DELETE FROM quota_days WHERE day < ?'),
    };
    this.decideAndReserve = this.db.transaction((req: QuotaRequest, guild: GuildLimits | undefined, caps: DailyCaps) => {
      const now = this.now();
      const day = dayOf(now);
      if (day !== this.prunedDay) {
        this.sql.prune.run(day - KEEP_DAYS);
        this.sql.pruneDays.run(day - KEEP_DAYS);
        this.prunedDay = day;
      }
      // Admitted before (a job resumed after a restart): already reserved, never refused now.
      if (this.sql.get.get(req.id)) return undefined;
      const last = (this.sql.lastAdmitted.get(req.guildId, req.userId) as { at: number | null }).at;
      const refusal = decideQuota(
        {
          memberToday: (this.sql.memberToday.get(day, req.guildId, req.userId) as { n: number }).n,
          lastAdmittedAt: last ?? undefined,
          fleet: this.fleetOn(day),
        },
        guild,
        caps,
        req.cost,
        now,
      );
      if (refusal) return refusal;
      const { stories, narrationCharacters, images } = req.cost;
      this.sql.insert.run(req.id, day, req.guildId, req.userId, stories, narrationCharacters, images, now);
      this.sql.addDay.run(day, stories, narrationCharacters, images);
      return undefined;
    }).immediate;
  }

  /** Decide by the quota rules and, when allowed, reserve the job's cost: one transaction. */
  admit(req: QuotaRequest, guild: GuildLimits | undefined, caps: DailyCaps): QuotaRefusal | undefined {
    return this.decideAndReserve(req, guild, caps);
  }

  /** An admitted job that never ran: its reservation is given back (unknown ids: nothing). */
  refund(id: string): void {
    this.db
      .transaction(() => {
        const row = this.sql.get.get(id) as (Totals & { day: number }) | undefined;
        if (!row) return;
        this.sql.remove.run(id);
        this.sql.subDay.run(row.stories, row.narrationCharacters, row.images, row.day);
      })
      .immediate();
  }

  /** The fleet's totals today. */
  fleet(): Totals {
    return this.fleetOn(dayOf(this.now()));
  }

  /** A server's day: totals and its members by stories. */
  usage(guildId: string): GuildUsage {
    const now = this.now();
    const day = dayOf(now);
    const totals = this.sql.guild.get(day, guildId) as Totals;
    const top = this.sql.top.all(day, guildId) as { userId: string; stories: number }[];
    return { day, resetsAt: endOfDay(now), ...totals, top };
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private fleetOn(day: number): Totals {
    return (this.sql.fleet.get(day) as Totals | undefined) ?? { stories: 0, narrationCharacters: 0, images: 0 };
  }
}
