/**
 * Moderation of the pictures (issue 23, item 3): every image of a bot job is asked for with the
 * image service's safe filter (Pollinations `safe=true`), in age-restricted channels too unless
 * the operator set ALLOW_NSFW_IN_AGE_RESTRICTED. The answer travels with the job (its options),
 * so a render worker on another machine asks the same way.
 */
import type { Interaction } from 'discord.js';

/** The interaction's channel is marked age-restricted (`channel.nsfw`; a DM never is; unknown counts as not). */
export function inAgeRestrictedChannel(interaction: Pick<Interaction, 'channel'>): boolean {
  const channel = interaction.channel as { nsfw?: unknown } | null;
  return channel?.nsfw === true;
}

/** Whether this interaction's job asks for safe images. */
export function safeImagesFor(interaction: Pick<Interaction, 'channel'>, allowNsfwInAgeRestricted: boolean): boolean {
  return !(allowNsfwInAgeRestricted && inAgeRestrictedChannel(interaction));
}
