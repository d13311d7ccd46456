/**
 * "Redo a scene…": a select menu under a finished video listing its scenes by number and first
 * words. Discord allows 25 options (a story has at most 20 scenes) and 100 characters a label.
 */
import { ActionRowBuilder, StringSelectMenuBuilder } from 'discord.js';
import type { Script } from '../core/story.js';
import type { Translate } from '../i18n/translate.js';
import { redoMenuId } from './custom-ids.js';

const MAX_OPTIONS = 25;
const LABEL_MAX = 100;

/** "Scene 3: The fox carried the lantern to…" (in the member's words) within Discord's 100 characters. */
export function sceneLabel(index: number, narration: string, t: Translate): string {
  const head = `${t('result.sceneLabel', { scene: index + 1 })} `;
  const text = narration.replace(/\s+/g, ' ').trim();
  const room = LABEL_MAX - head.length;
  if (text.length <= room) return head + text;
  const cut = text.slice(0, room - 1);
  const word = cut.lastIndexOf(' ');
  return head + (word > room / 2 ? cut.slice(0, word) : cut) + '…';
}

export function redoMenu(jobId: string, script: Pick<Script, 'scenes'>, t: Translate): ActionRowBuilder<StringSelectMenuBuilder>[] {
  if (script.scenes.length === 0) return [];
  const menu = new StringSelectMenuBuilder()
    .setCustomId(redoMenuId(jobId))
    .setPlaceholder(t('result.redoPlaceholder'))
    .setMinValues(1)
    .setMaxValues(1)
    .addOptions(script.scenes.slice(0, MAX_OPTIONS).map((scene, i) => ({ label: sceneLabel(i, scene.narration, t), value: String(i) })));
  return [new ActionRowBuilder<StringSelectMenuBuilder>().addComponents(menu)];
}
