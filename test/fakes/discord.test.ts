/** The fake Discord, proven against the real discord.js Client over loopback. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client, DiscordAPIError, Events, GatewayIntentBits, type Interaction, type TextChannel } from 'discord.js';
import { startFakeDiscord, type FakeDiscord } from './discord/server.js';
import { snowflake } from './discord/snowflakes.js';

let fake: FakeDiscord;
let client: Client;
const user = { id: snowflake(), username: 'alice' };
const guildId = snowflake();
const channelId = snowflake();
const base = () => ({ guildId, channelId, user });

async function login(): Promise<Client> {
  const c = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiBase } });
  const ready = new Promise((r) => c.once(Events.ClientReady, r));
  await c.login(fake.token);
  await ready;
  return c;
}

function nextInteraction(): Promise<Interaction> {
  return new Promise((resolve) => client.once(Events.InteractionCreate, resolve));
}

beforeEach(async () => {
  fake = await startFakeDiscord({ guilds: [{ id: guildId, name: 'Guild', channels: [channelId] }] });
  client = await login();
});
afterEach(async () => {
  await client.destroy();
  await fake.close();
});

describe('fake Discord with the real discord.js client', () => {
  it('slash command -> defer -> embed edit -> file upload -> follow-up', async () => {
    const got = nextInteraction();
    const { token } = fake.sendSlash({ ...base(), name: 'story', options: [{ name: 'story', type: 3, value: 'Hi {there}' }] });
    const interaction = await got;
    if (!interaction.isChatInputCommand()) throw new Error('expected a slash command');
    expect(interaction.options.getString('story')).toBe('Hi {there}');
    expect(interaction.channelId).toBe(channelId);
    await interaction.deferReply();
    await interaction.editReply({ embeds: [{ title: 'Working' }] });
    await interaction.editReply({ files: [{ attachment: Buffer.from('video-bytes'), name: 'story.mp4' }] });
    await interaction.followUp({ content: 'done' });
    const [original, followUp] = fake.messages(token);
    expect(original!.embeds).toEqual([{ title: 'Working' }]);
    expect(original!.files[0]).toMatchObject({ name: 'story.mp4' });
    expect(original!.files[0]!.bytes.toString()).toBe('video-bytes');
    expect(followUp!.content).toBe('done');
  });

  it('a 429 on an edit is waited out and retried by discord.js', async () => {
    const got = nextInteraction();
    const { token } = fake.sendSlash({ ...base(), name: 'story' });
    const interaction = (await got) as Extract<Interaction, { deferReply: unknown }>;
    await interaction.deferReply();
    fake.failNext({ route: 'edit', status: 429, retryAfter: 0.3 });
    await interaction.editReply({ content: 'after the limit' });
    const edits = fake.record.filter((r) => r.route === 'edit' && r.token === token);
    expect(edits.map((e) => e.status)).toEqual([429, 200]);
    expect(fake.messages(token)[0]!.content).toBe('after the limit');
  });

  it('expired tokens, oversize files and missing permissions reject with their codes', async () => {
    const got = nextInteraction();
    const { token } = fake.sendSlash({ ...base(), name: 'story', attachmentSizeLimit: 1000 });
    const interaction = (await got) as Extract<Interaction, { deferReply: unknown }>;
    await interaction.deferReply();
    expect(interaction.attachmentSizeLimit).toBe(1000);
    const big = await interaction.editReply({ files: [{ attachment: Buffer.alloc(2000), name: 'big.mp4' }] }).catch((e: unknown) => e);
    expect((big as DiscordAPIError).code).toBe(40005);
    fake.expireToken(token);
    const expired = await interaction.editReply({ content: 'late' }).catch((e: unknown) => e);
    expect(expired).toBeInstanceOf(DiscordAPIError);
    expect((expired as DiscordAPIError).code).toBe(50027);

    const channel = (await client.channels.fetch(channelId)) as TextChannel;
    const sent = await channel.send({ content: 'posted with the bot token', files: [{ attachment: Buffer.from('x'), name: 'a.mp4' }] });
    expect(fake.channelMessages(channelId)[0]).toMatchObject({ id: sent.id, content: 'posted with the bot token' });
    fake.denyChannel(channelId);
    const denied = await channel.send('nope').catch((e: unknown) => e);
    expect((denied as DiscordAPIError).code).toBe(50013);
  });

  it('buttons and modal submits arrive with their ids and fields', async () => {
    const gotSlash = nextInteraction();
    const { token } = fake.sendSlash({ ...base(), name: 'story' });
    const slash = (await gotSlash) as Extract<Interaction, { deferReply: unknown }>;
    await slash.deferReply();
    const messageId = fake.messages(token)[0]!.id;
    const gotButton = nextInteraction();
    fake.sendButton({ ...base(), customId: 'sr:rerun:abc123def456', messageId });
    const button = await gotButton;
    if (!button.isButton()) throw new Error('expected a button');
    expect(button.customId).toBe('sr:rerun:abc123def456');
    expect(button.message.id).toBe(messageId);
    await button.deferUpdate();

    const gotModal = nextInteraction();
    fake.sendModalSubmit({ ...base(), customId: 'sr:modal:9:16|||', fields: { story: 'A long story.' } });
    const modal = await gotModal;
    if (!modal.isModalSubmit()) throw new Error('expected a modal submit');
    expect(modal.fields.getTextInputValue('story')).toBe('A long story.');
  });

  it('a client can log out and a new one log in again', async () => {
    await client.destroy();
    client = await login();
    expect(fake.gateway.identifies).toBe(2);
    expect(client.user?.id).toBe(fake.applicationId);
  });
});
