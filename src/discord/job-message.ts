/**
 * Where one job's progress and result are shown, over Discord's REST API only (no gateway
 * connection needed), so the gateway and a render worker on another machine show a job the same way.
 *
 * While the interaction token lives (15 minutes) the interaction's own reply is edited through
 * the interaction webhook (those routes do not count against the bot's 50 requests/s global
 * limit). After that, or for a job resumed after a restart (no token), the same reply is edited
 * with the bot token: a non-ephemeral reply is an ordinary message of the bot's in its channel,
 * and history has its id. Only when it cannot be edited (deleted) is a new message posted in the
 * channel. A missing permission is reported once, clearly, and not retried on every edit.
 *
 * A job of a member's own install (a DM, a group DM, a server without the bot: `webhookOnly`) is
 * shown through the interaction's webhook only: the bot may not be able to post there at all, so
 * the bot token is never used. Its reply takes edits until TIME_UP_NOTICE_MS before the token
 * dies; the edit asked for then is replaced by `timeUp` (the member is told, not left in silence)
 * and every later one is refused (ReplyClosedError).
 */
import { readFile } from 'node:fs/promises';
import {
  DiscordAPIError,
  Routes,
  type ActionRowBuilder,
  type APIEmbed,
  type ButtonBuilder,
  type StringSelectMenuBuilder,
  type REST,
  type RESTPatchAPIChannelMessageJSONBody,
} from 'discord.js';
import type { Logger } from '../core/log.js';
import { sleep } from '../core/sleep.js';

/** Discord's interaction tokens live 15 minutes; switch to the bot token a little before. */
export const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const TOKEN_MARGIN_MS = 30 * 1000;
/** A webhook-only reply says its time is up this long before the token dies (a last edit with a file takes a while). */
export const TIME_UP_NOTICE_MS = 60 * 1000;
/**
 * A worker may start a job before the gateway's deferral has reached Discord (both race for the
 * same reply): an edit of a reply that does not exist yet is tried again for this long.
 */
const REPLY_APPEAR_MS = 8000;

export interface MessagePayload {
  content?: string | null;
  embeds?: APIEmbed[];
  /** Rows of buttons (result-buttons.ts); an empty list clears them. */
  components?: ActionRowBuilder<ButtonBuilder | StringSelectMenuBuilder>[];
  /** Files to attach; when given (even empty), they replace the message's attachments. */
  files?: { attachment: string; name: string }[];
}

export class MissingChannelAccessError extends Error {
  override readonly name: string = 'MissingChannelAccessError';
}

/** A webhook-only reply that takes no more edits: its token died or is about to (see TIME_UP_NOTICE_MS). */
export class ReplyClosedError extends MissingChannelAccessError {
  override readonly name = 'ReplyClosedError';
}

/**
 * An edit not sent because this run may not touch the message: `stale` when another run holds the
 * job or has delivered it (this run must stop), else because that could not be checked just now.
 */
export class EditRefusedError extends Error {
  override readonly name = 'EditRefusedError';
  constructor(readonly stale: boolean) {
    super(stale ? 'another run holds this job now' : 'could not check that this run still holds the job');
  }
}

export function discordCode(error: unknown): number | string | undefined {
  return error instanceof DiscordAPIError ? error.code : undefined;
}

export interface JobMessageOptions {
  rest: REST;
  applicationId: string;
  channelId: string;
  jobId: string;
  log: Logger;
  /** The interaction this job answers, while its token may still live. */
  interaction?: { token: string; createdAt: number };
  /** The message to edit with the bot token: the interaction's reply, or one posted in the channel earlier. */
  messageId?: string;
  /** Told the id of a message posted in the channel, so history can point at it. */
  onChannelMessage?: (id: string) => void;
  /**
   * Asked right before every request that would change the message: a run that may run twice
   * (render workers) answers 'no' once another run holds or delivered the job, 'unknown' when it
   * cannot tell. Anything but 'yes' and nothing is sent (EditRefusedError).
   */
  mayEdit?: () => Promise<'yes' | 'no' | 'unknown'>;
  /**
   * A member's own install: the reply is edited through the interaction webhook only, never with
   * the bot token; `timeUp` is what it says when the token is about to die.
   */
  webhookOnly?: { timeUp: () => MessagePayload };
  /** Edits wait for this first (the interaction's deferral). */
  ready?: Promise<unknown>;
  now?: () => number;
}

async function restBody(payload: MessagePayload) {
  const body: RESTPatchAPIChannelMessageJSONBody & { allowed_mentions: { parse: [] } } = { allowed_mentions: { parse: [] } };
  if (payload.content !== undefined) body.content = payload.content ?? '';
  if (payload.embeds) body.embeds = payload.embeds;
  if (payload.components) body.components = payload.components.map((row) => row.toJSON());
  if (!payload.files) return { body, files: undefined };
  const files = await Promise.all(payload.files.map(async (f) => ({ name: f.name, data: await readFile(f.attachment) })));
  body.attachments = files.map((f, i) => ({ id: String(i), filename: f.name }));
  return { body, files };
}

export class JobMessage {
  private interaction: JobMessageOptions['interaction'];
  private messageId: string | undefined;
  private reportedAccess = false;
  private closed = false;

  constructor(private readonly opts: JobMessageOptions) {
    this.interaction = opts.interaction;
    this.messageId = opts.messageId;
  }

  /** The interaction's reply is this message: once the token is gone, it is edited with the bot token. */
  knowReply(messageId: string): void {
    this.messageId ??= messageId;
  }

  /** The message being edited with the bot token, once known. */
  get channelMessageId(): string | undefined {
    return this.messageId;
  }

  /**
   * A webhook-only message's last moment for edits (epoch ms; 0 when it has none: no token, or
   * closed); undefined for a message the bot token can reach. A render still going then is pointless.
   */
  get openUntil(): number | undefined {
    if (!this.opts.webhookOnly) return undefined;
    const i = this.interaction;
    return i && !this.closed ? i.createdAt + TOKEN_LIFETIME_MS - TIME_UP_NOTICE_MS : 0;
  }

  private async guard(): Promise<void> {
    if (!this.opts.mayEdit) return;
    const answer = await this.opts.mayEdit();
    if (answer !== 'yes') throw new EditRefusedError(answer === 'no');
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  private tokenAlive(): boolean {
    const i = this.interaction;
    return !!i && this.now() < i.createdAt + TOKEN_LIFETIME_MS - TOKEN_MARGIN_MS;
  }

  async edit(payload: MessagePayload): Promise<void> {
    await this.opts.ready;
    if (this.opts.webhookOnly) return this.editWebhookOnly(payload, this.opts.webhookOnly.timeUp);
    const { body, files } = await restBody(payload);
    if (this.tokenAlive()) {
      const done = await this.editReply(body, files);
      if (done) return;
    }
    if (this.interaction) {
      this.opts.log.warn(`job ${this.opts.jobId}: interaction token expired; editing its message in the channel with the bot token`);
      this.interaction = undefined;
    }
    await this.editInChannel(body, files);
  }

  private async editWebhookOnly(payload: MessagePayload, timeUp: () => MessagePayload): Promise<void> {
    const until = this.openUntil!;
    if (until === 0) throw new ReplyClosedError(`job ${this.opts.jobId}: its reply takes no more edits (its interaction token is gone)`);
    const last = this.now() >= until;
    const { body, files } = await restBody(last ? timeUp() : payload);
    if (last) {
      this.closed = true;
      this.opts.log.warn(`job ${this.opts.jobId}: its interaction token is about to expire; the member is told in the reply`);
    }
    const done = await this.editReply(body, files);
    if (!done) {
      this.closed = true;
      this.opts.log.warn(`job ${this.opts.jobId}: its interaction token died early; its reply cannot be edited any more`);
    }
    if (last || !done) throw new ReplyClosedError(`job ${this.opts.jobId}: its reply takes no more edits (its interaction token runs out)`);
  }

  /** Edits the interaction's reply; false when its token has died (carry on with the bot token). */
  private async editReply(body: object, files: { name: string; data: Buffer }[] | undefined): Promise<boolean> {
    const { token, createdAt } = this.interaction!;
    for (;;) {
      await this.guard();
      try {
        await this.opts.rest.patch(Routes.webhookMessage(this.opts.applicationId, token, '@original'), { body, files, auth: false });
        return true;
      } catch (error) {
        const code = discordCode(error);
        // 50027: the token died early (or the clock is off).
        if (code === 50027) return false;
        // 10008/10015: the reply is not there yet (the deferral is still on its way).
        const young = this.now() - createdAt < REPLY_APPEAR_MS;
        if ((code === 10008 || code === 10015) && young) {
          await sleep(250);
          continue;
        }
        throw error;
      }
    }
  }

  private async editInChannel(body: object, files: { name: string; data: Buffer }[] | undefined): Promise<void> {
    const { rest, channelId } = this.opts;
    try {
      await this.guard();
      if (this.messageId) {
        try {
          await rest.patch(Routes.channelMessage(channelId, this.messageId), { body, files });
          return;
        } catch (error) {
          // Deleted meanwhile: post a new one. Any other failure: the same message is tried next time.
          if (discordCode(error) !== 10008) throw error;
          this.opts.log.warn(`job ${this.opts.jobId}: its message ${this.messageId} is gone; posting a new one`);
          this.messageId = undefined;
        }
      }
      await this.guard();
      const posted = (await rest.post(Routes.channelMessages(channelId), { body, files })) as { id: string };
      this.messageId = posted.id;
      this.opts.onChannelMessage?.(posted.id);
    } catch (error) {
      const code = discordCode(error);
      if (code === 50013 || code === 50001 || code === 10003) {
        if (!this.reportedAccess) {
          this.reportedAccess = true;
          this.opts.log.error(
            `job ${this.opts.jobId}: cannot post in channel ${channelId}: the bot needs View Channel, Send Messages, Embed Links and Attach Files there`,
          );
        }
        throw new MissingChannelAccessError(
          'The bot lacks permission to post in this channel (View Channel, Send Messages, Embed Links, Attach Files).',
        );
      }
      throw error;
    }
  }
}
