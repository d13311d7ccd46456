/**
 * Where one job's progress and result are shown. While the interaction token lives (15 minutes),
 * the interaction's own reply is edited; once it has expired (or for a job resumed after a
 * restart, which has no token) the bot posts and edits a message in the channel with its own
 * token. A job that already has such a message (it was resumed before) edits that one again
 * instead of posting another, unless it was deleted. A missing permission there is reported once,
 * clearly, and not retried on every edit.
 */
import { DiscordAPIError, type Client, type InteractionEditReplyOptions, type Message, type RepliableInteraction, type SendableChannels } from 'discord.js';
import type { Logger } from '../core/log.js';

/** Discord's interaction tokens live 15 minutes; switch to the channel a little before. */
export const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const TOKEN_MARGIN_MS = 30 * 1000;

export type MessagePayload = Pick<InteractionEditReplyOptions, 'content' | 'embeds' | 'components' | 'files' | 'attachments'>;

export class MissingChannelAccessError extends Error {
  override readonly name = 'MissingChannelAccessError';
}

export function discordCode(error: unknown): number | string | undefined {
  return error instanceof DiscordAPIError ? error.code : undefined;
}

export class JobMessage {
  private interaction: RepliableInteraction | undefined;
  private channelMessage: Message | undefined;
  /** A channel message posted for this job by an earlier process, edited by id (no fetch needed). */
  private earlierChannelMessageId: string | undefined;
  private reportedAccess = false;

  constructor(
    private readonly deps: {
      client: Client;
      channelId: string;
      jobId: string;
      log: Logger;
      interaction?: RepliableInteraction;
      /** The message this job was last shown in, posted in the channel before a restart. */
      channelMessageId?: string;
      /** Called when a channel message is created, so history can point at it. */
      onChannelMessage?: (id: string) => void;
      now?: () => number;
    },
  ) {
    this.interaction = deps.interaction;
    this.earlierChannelMessageId = deps.channelMessageId;
  }

  private tokenAlive(): boolean {
    const i = this.interaction;
    if (!i) return false;
    const now = this.deps.now?.() ?? Date.now();
    return now < i.createdTimestamp + TOKEN_LIFETIME_MS - TOKEN_MARGIN_MS;
  }

  async edit(payload: MessagePayload): Promise<void> {
    if (this.tokenAlive()) {
      try {
        await this.interaction!.editReply(payload);
        return;
      } catch (error) {
        // 50027: the interaction token died early (or the clock is off): carry on in the channel.
        if (discordCode(error) !== 50027) throw error;
      }
    }
    if (this.interaction) {
      this.deps.log.warn(`job ${this.deps.jobId}: interaction token expired; posting in the channel with the bot token`);
      this.interaction = undefined;
    }
    await this.editInChannel(payload);
  }

  private async editInChannel(payload: MessagePayload): Promise<void> {
    try {
      if (this.channelMessage) {
        await this.channelMessage.edit(payload);
        return;
      }
      const channel = await this.deps.client.channels.fetch(this.deps.channelId);
      if (!channel || !channel.isSendable()) throw new MissingChannelAccessError(`the bot cannot post in channel ${this.deps.channelId}`);
      const earlier = this.earlierChannelMessageId;
      if (earlier && channel.isTextBased()) {
        try {
          this.channelMessage = await channel.messages.edit(earlier, payload as never);
          this.earlierChannelMessageId = undefined;
          return;
        } catch (error) {
          // Deleted meanwhile: post a new one. Any other failure: try that same message next time.
          if (discordCode(error) !== 10008) throw error;
          this.earlierChannelMessageId = undefined;
        }
      }
      this.channelMessage = await (channel as SendableChannels).send({ ...payload, content: payload.content ?? undefined, allowedMentions: { parse: [] } } as never);
      this.deps.onChannelMessage?.(this.channelMessage.id);
    } catch (error) {
      const code = discordCode(error);
      if (error instanceof MissingChannelAccessError || code === 50013 || code === 50001 || code === 10003) {
        if (!this.reportedAccess) {
          this.reportedAccess = true;
          this.deps.log.error(`job ${this.deps.jobId}: cannot post in channel ${this.deps.channelId}: the bot needs View Channel, Send Messages, Embed Links and Attach Files there`);
        }
        throw new MissingChannelAccessError('The bot lacks permission to post in this channel (View Channel, Send Messages, Embed Links, Attach Files).');
      }
      throw error;
    }
  }
}
