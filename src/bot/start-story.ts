/**
 * A new job from /story, the form, Re-run or New images: refused privately, or admitted, recorded
 * and shown. The decision comes first, before any round trip to Discord: a second /story from the
 * same person a few milliseconds later is refused privately (never a public "Cancelled"), a story
 * no video can hold is refused with how long it is and what fits, and jobs in one server start in
 * the order their commands arrived.
 */
import { randomInt } from 'node:crypto';
import {
  MessageFlags,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type ModalSubmitInteraction,
  type StringSelectMenuInteraction,
} from 'discord.js';
import { describeError } from '../core/describe-error.js';
import { checkStoryFitsLimit, StoryInputError } from '../engine/story-input.js';
import { newJobId } from '../core/job-id.js';
import type { JobKind, JobRecord } from '../store/job-record.js';
import { ticketFromRecord } from '../jobs/job-ticket.js';
import { MAX_CAST } from '../core/story.js';
import { redoSeeds } from '../engine/redo-scene.js';
import type { GatewayDeps } from './gateway-deps.js';
import { admissionScopeOf, isUserScope } from '../core/admission-scope.js';
import { pickReplyLocale } from '../i18n/locales.js';
import { safeImagesFor } from './image-safety.js';
import { followUpWithin } from './follow-ups.js';
import type { StoryRequest } from './story-request.js';
import { DEFAULT_GUILD_SETTINGS } from '../store/guild-settings.js';
import { refusalByGuildRules, ruleContextOf, withinSceneLimit } from './guild-rules.js';
import { admissionText, memberTextFor, storyInputText } from '../discord/member-text.js';
import { jobCost } from './job-cost.js';
import { isQuotaRefusal, quotaRefusalText } from './quota-refusal.js';

/** What to make again from a job in history: its story and every option the person chose. */
export function requestFrom(job: JobRecord): StoryRequest {
  const { aspect, scenes, style, voice, language, languageHint, captions, captionsPosition, music } = job.options;
  return { story: job.story, aspect, scenes, style, voice, language, languageHint, captions, captionsPosition, music };
}

export type StoryInteraction = ChatInputCommandInteraction | ModalSubmitInteraction | ButtonInteraction | StringSelectMenuInteraction;

export const ephemeral = (content: string) => ({ content, flags: MessageFlags.Ephemeral }) as const;

/**
 * A refusal only its member sees: the ephemeral reply, or, when the command was deferred already
 * (a story file is downloaded after deferring), an ephemeral follow-up and the public reply removed.
 */
export async function refusePrivately(interaction: StoryInteraction, content: string): Promise<void> {
  if (!interaction.deferred) {
    await interaction.reply(ephemeral(content));
    return;
  }
  await followUpWithin(interaction, ephemeral(content));
  await interaction.deleteReply().catch(() => undefined);
}

export async function startStory(
  deps: GatewayDeps,
  interaction: StoryInteraction,
  asked: StoryRequest,
  from?: { kind: Exclude<JobKind, 'story'>; parent: JobRecord; scene?: number },
): Promise<void> {
  const { channelId } = interaction;
  const m = memberTextFor(interaction);
  if (!channelId) {
    await interaction.reply(ephemeral(m.t('anywhere.noChannel')));
    return;
  }
  // Its server's line and limits, or (a DM, a server without the bot) the member's own.
  const guildId = admissionScopeOf(interaction);
  // The server's rules, before anything is admitted or paid for (its defaults were filled in by
  // /story); a member's own scope has none.
  const settings = (!isUserScope(guildId) && deps.settings?.get(guildId)) || DEFAULT_GUILD_SETTINGS;
  const refusal = refusalByGuildRules(settings, ruleContextOf(interaction), asked, m.t);
  if (refusal) {
    await refusePrivately(interaction, refusal);
    return;
  }
  const request = !from || from.kind === 'rerun' ? withinSceneLimit(settings, asked) : asked;
  // A redo keeps its parent's limit: the same encoding plan is what lets every other clip come from the cache.
  const redo =
    from?.kind === 'redo' && interaction.isMessageComponent() && from.parent.script && from.parent.seeds
      ? { scene: from.scene ?? 0, script: from.parent.script, seeds: from.parent.seeds, message: interaction.message }
      : undefined;
  const maxBytes = redo ? from!.parent.options.maxBytes : (interaction.attachmentSizeLimit ?? deps.defaultMaxBytes);
  try {
    checkStoryFitsLimit(request.story, maxBytes);
  } catch (error) {
    if (!(error instanceof StoryInputError)) throw error;
    await refusePrivately(interaction, storyInputText(error, m));
    return;
  }
  const id = newJobId();
  const cost = jobCost(request, from);
  const admission = await deps.transport.admit({ id, guildId, userId: interaction.user.id, cost }, deps.guildLimits?.(guildId));
  if (!admission.ok) {
    deps.onRefused?.(admission.reason);
    const text = isQuotaRefusal(admission) ? quotaRefusalText(admission, m) : admissionText(admission, m, deps.queuePerGuild);
    await refusePrivately(interaction, text);
    return;
  }
  // From here until the ticket is submitted the job holds a place: any failure (a busy SQLite, a
  // refused reply, Redis) gives it back, or its member would be "already in progress" for good.
  let record: JobRecord | undefined;
  // A redo replaces the video in the message its menu is on; anything else gets a reply of its own.
  let ready: Promise<unknown> | undefined;
  try {
    // (A story file's command was deferred before its download.)
    ready = redo
      ? (interaction as StringSelectMenuInteraction).deferUpdate()
      : interaction.deferred
        ? Promise.resolve()
        : interaction.deferReply();
    // Awaited below; a failure before that must not surface as an unhandled rejection.
    ready.catch(() => undefined);
    record = deps.history.create(
      {
        kind: from?.kind ?? 'story',
        parentJobId: from?.parent.id,
        guildId,
        channelId,
        userId: interaction.user.id,
        story: request.story,
        title: from?.kind === 'new-images' || redo ? from!.parent.title : undefined,
        options: redo
          ? { ...from!.parent.options }
          : {
              aspect: request.aspect,
              scenes: request.scenes,
              style: request.style,
              voice: request.voice,
              language: request.language,
              languageHint: request.languageHint,
              captions: request.captions,
              captionsPosition: request.captionsPosition,
              music: request.music,
              maxBytes,
              seed: randomInt(0, 2 ** 31 - 1),
              locale: from?.parent.options.locale ?? pickReplyLocale(interaction.locale, interaction.guildLocale),
              safeImages: safeImagesFor(interaction, deps.allowNsfwInAgeRestricted ?? false),
            },
        script: from?.kind === 'new-images' || redo ? from!.parent.script : undefined,
        ...(from?.kind === 'rerun' ? { cast: parentCast(from.parent) } : {}),
        ...(redo ? { redoScene: redo.scene, seeds: redoSeeds(redo).seeds } : {}),
      },
      id,
    );
    const shown = deps.board.show(record, { token: interaction.token, createdAt: interaction.createdTimestamp, ready });
    try {
      await ready;
    } catch (error) {
      throw new Error(`Discord did not take the reply: ${describeError(error)}`, { cause: error });
    }
    const reply = redo ? redo.message : await interaction.fetchReply().catch(() => undefined);
    if (reply) shown.message.knowReply(reply.id);
    const withIds = reply ? deps.history.setMessageIds(id, { original: reply.id }) : record;
    // Its place may have moved while the reply was on its way.
    deps.board.queued(id, (await deps.transport.position(id)) ?? admission.position);
    await deps.transport.submit(
      ticketFromRecord(
        withIds,
        deps.applicationId,
        { token: interaction.token, createdAt: interaction.createdTimestamp },
        { blockedWords: settings.blockedWords },
      ),
    );
  } catch (error) {
    await giveBack(deps, interaction, { id, record, ready, redo: !!redo, error });
    throw error;
  }
}

/** An admitted job that will not run: its place freed, its row (if written) failed, its reply (if any) removed. */
async function giveBack(
  deps: GatewayDeps,
  interaction: StoryInteraction,
  job: { id: string; record: JobRecord | undefined; ready: Promise<unknown> | undefined; redo: boolean; error: unknown },
): Promise<void> {
  const { id, record, ready, redo } = job;
  deps.board.forget(id);
  await deps.transport
    .abandon(id)
    .catch((error: unknown) => deps.log.error(`job ${id}: could not give back its place: ${describeError(error)}`));
  if (record) {
    try {
      deps.history.finish(id, { status: 'failed', error: describeError(job.error) });
    } catch (error) {
      deps.log.warn(`job ${id}: could not record that it did not start: ${describeError(error)}`);
    }
  }
  // A public "thinking..." reply that will never become a job goes; the router tells the member privately.
  const replied = await ready?.then(
    () => true,
    () => false,
  );
  if (replied && !redo) await interaction.deleteReply().catch(() => undefined);
}

/** A Re-run keeps its parent's main characters (the script's, else as drawn); the render draws them with new seeds. */
function parentCast(parent: JobRecord): JobRecord['cast'] {
  const cast = parent.script?.cast ?? parent.cast;
  return cast?.length ? cast.slice(0, MAX_CAST).map(({ name, description }) => ({ name, description })) : undefined;
}
