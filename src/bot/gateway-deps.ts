/** What the gateway's job handlers share: Discord, the transport, history, the board of shown jobs. */
import type { Client } from 'discord.js';
import type { Logger } from '../core/log.js';
import type { JobHistory } from '../store/job-history.js';
import type { GuildSettingsSource } from '../store/guild-settings.js';
import type { JobTransport } from '../jobs/job-transport.js';
import type { JobBoard } from './job-board.js';
import type { JobEndings } from './job-endings.js';
import type { RefusalReason } from '../jobs/admission-rules.js';
import type { GuildLimits } from '../jobs/quota-rules.js';

export interface GatewayDeps {
  client: Client;
  applicationId: string;
  transport: JobTransport;
  history: JobHistory;
  board: JobBoard;
  log: Logger;
  /** The MP4's size limit when an interaction does not give its upload limit (DEFAULT_MAX_BYTES, 10 MiB by default). */
  defaultMaxBytes: number;
  /** Jobs that may wait in one server's line (MAX_QUEUE_PER_GUILD): named when a member is refused for a full line. */
  queuePerGuild?: number;
  /** Jobs' ends as the transport reports them, for whoever waits for one (Delete). */
  endings: JobEndings;
  /** ALLOW_NSFW_IN_AGE_RESTRICTED: jobs in age-restricted channels ask for images without the safe filter. */
  allowNsfwInAgeRestricted?: boolean;
  /** Where this process keeps a job's files while it renders (in-process mode): Delete removes them. */
  workDir?: string;
  /** Per-server settings, read at admission (none: every server has the defaults). */
  settings?: GuildSettingsSource;
  /** A server's own limits (its /settings: member_daily, cooldown_minutes, max_running), sent with each admission. */
  guildLimits?: (guildId: string) => GuildLimits | undefined;
  /** Told each refused admission (metrics). */
  onRefused?: (reason: RefusalReason) => void;
}
