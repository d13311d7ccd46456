/** What the gateway's job handlers share: Discord, the transport, history, the board of shown jobs. */
import type { Client } from 'discord.js';
import type { Logger } from '../core/log.js';
import type { JobHistory } from '../store/job-history.js';
import type { JobTransport } from '../jobs/job-transport.js';
import type { JobBoard } from './job-board.js';
import type { JobEndings } from './job-endings.js';

export interface GatewayDeps {
  client: Client;
  applicationId: string;
  transport: JobTransport;
  history: JobHistory;
  board: JobBoard;
  log: Logger;
  /** The MP4's size limit when an interaction does not give its upload limit (DEFAULT_MAX_BYTES, 10 MiB by default). */
  defaultMaxBytes: number;
  /** Jobs' ends as the transport reports them, for whoever waits for one (Delete). */
  endings: JobEndings;
  /** ALLOW_NSFW_IN_AGE_RESTRICTED: jobs in age-restricted channels ask for images without the safe filter. */
  allowNsfwInAgeRestricted?: boolean;
  /** Where this process keeps a job's files while it renders (in-process mode): Delete removes them. */
  workDir?: string;
}
