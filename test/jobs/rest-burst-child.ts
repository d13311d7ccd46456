/**
 * One process of the bot, for shared-rest-limit.test.ts: its Discord REST client is made as the
 * gateway's and the workers' are (discordRestOptions), then, on a line on stdin, it asks for every
 * channel in CHANNELS at once (bot-token requests) and prints how many succeeded.
 */
import { once } from 'node:events';
import { REST, Routes } from 'discord.js';
import { loadConfig } from '../../src/config.js';
import { discordRestOptions } from '../../src/jobs/shared-rest-limit.js';

const config = loadConfig(process.env);
const { options, close } = discordRestOptions(config);
// A longer timeout than discord.js's 15 s: the wait for a turn counts against it, and with a
// limit of a few per second a burst of several processes waits longer than that.
const rest = new REST({ ...options, timeout: 120_000 }).setToken(config.discord.token!);
const channels = process.env.CHANNELS!.split(',');
await rest.get(Routes.channel(channels[0]!));
process.stdout.write('ready\n');
await once(process.stdin, 'data');
const results = await Promise.allSettled(channels.map((c) => rest.get(Routes.channel(c))));
const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
process.stdout.write(`${JSON.stringify({ ok: results.length - failed.length, failed })}\n`);
close();
process.exit(0);
