/** /settings and /story over the fake Discord, for the settings tests: who sends, and the private reply. */
import { PERMISSIONS } from '../fakes/discord/server.js';
import { snowflake } from '../fakes/discord/snowflakes.js';
import type { InteractionBase } from '../fakes/discord/payloads.js';
import type { Harness } from './bot-harness.js';

export type SlashOption = { name: string; type: number; value: unknown };
export const admin = { id: snowflake(), username: 'admin' };
export const member = { id: snowflake(), username: 'member' };
export const asAdmin: Partial<InteractionBase> = { user: admin, memberPermissions: PERMISSIONS.manageGuild };

/** `/settings <sub> ...options`, as the admin unless `as` says otherwise. */
export function sendSettings(h: Harness, sub: string, options: SlashOption[] = [], as: Partial<InteractionBase> = asAdmin) {
  const { id, channel } = h.guilds[0]!;
  return h.discord.sendSlash({
    guildId: id,
    channelId: channel,
    user: admin,
    ...as,
    name: 'settings',
    options: [{ name: sub, type: 1, options }],
  });
}

/** `/story ...options` as a plain member in the guild's channel (unless `as` says otherwise). */
export function sendStory(h: Harness, options: SlashOption[], as: Partial<InteractionBase> = {}) {
  const { id, channel } = h.guilds[0]!;
  return h.discord.sendSlash({ guildId: id, channelId: channel, user: member, ...as, name: 'story', options });
}

/** The interaction's first answer, once it came: its type, content and flags. */
export async function firstAnswer(h: Harness, interactionId: string): Promise<{ type: number; content: string; ephemeral: boolean }> {
  await h.discord.waitFor(() => h.discord.callbacks(interactionId).length > 0, 30_000, 'an answer');
  const cb = h.discord.callbacks(interactionId)[0] as { type: number; data?: { content?: string; flags?: number } };
  return { type: cb.type, content: cb.data?.content ?? '', ephemeral: ((cb.data?.flags ?? 0) & 64) === 64 };
}

/** A private reply's text (fails the test when the answer was anything else). */
export async function privateReply(h: Harness, interactionId: string): Promise<string> {
  const answer = await firstAnswer(h, interactionId);
  if (answer.type !== 4 || !answer.ephemeral) throw new Error(`expected a private reply, got ${JSON.stringify(answer)}`);
  return answer.content;
}
