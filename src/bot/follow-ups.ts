/**
 * Follow-ups counted per interaction. Discord lets a user-installed app send at most 5 follow-up
 * messages to one interaction; past that (never in the bot's own flows today: a refusal or an error
 * note is one), the reply is edited instead of sending a sixth that Discord would refuse.
 */
import type { InteractionEditReplyOptions, InteractionReplyOptions, RepliableInteraction } from 'discord.js';

/** Discord's limit for a user-installed app; the bot keeps it everywhere. */
export const MAX_FOLLOW_UPS = 5;

const sent = new WeakMap<RepliableInteraction, number>();

export function followUpsSent(interaction: RepliableInteraction): number {
  return sent.get(interaction) ?? 0;
}

/** A follow-up while this interaction has some left; else its reply is edited with the same content. */
export async function followUpWithin(
  interaction: RepliableInteraction,
  payload: InteractionReplyOptions & { content: string },
): Promise<'follow-up' | 'edited'> {
  const count = followUpsSent(interaction);
  if (count >= MAX_FOLLOW_UPS) {
    const { content, files, embeds, components } = payload;
    await interaction.editReply({ content, files, embeds, components } as InteractionEditReplyOptions);
    return 'edited';
  }
  sent.set(interaction, count + 1);
  await interaction.followUp(payload);
  return 'follow-up';
}
