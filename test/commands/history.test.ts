/** /history's lines: discord.js formatters for the link and the time, markdown in titles escaped. */
import { describe, expect, it } from 'vitest';
import { historyLine, jobLink } from '../../commands/history.js';
import type { JobRecord } from '../../src/store/job-record.js';

const job = (over: Partial<JobRecord> = {}): JobRecord => ({
  id: 'abc123def456',
  kind: 'story',
  guildId: '111111111111111111',
  channelId: '222222222222222222',
  userId: '333333333333333333',
  story: 'The fox found a lantern.',
  options: { aspect: '9:16', maxBytes: 10 * 1024 * 1024, seed: 7 },
  status: 'done',
  timings: { queuedAt: 1_700_000_000_999 },
  messageIds: { original: '444444444444444444' },
  attempts: 0,
  createdAt: 1_700_000_000_999,
  updatedAt: 1_700_000_001_000,
  ...over,
});

describe('/history lines', () => {
  it('links the message that shows the job: the bot-posted one first, else the reply, else none', () => {
    expect(jobLink(job())).toBe('https://discord.com/channels/111111111111111111/222222222222222222/444444444444444444');
    expect(jobLink(job({ messageIds: { original: '444444444444444444', channelMessage: '555555555555555555' } }))).toBe(
      'https://discord.com/channels/111111111111111111/222222222222222222/555555555555555555',
    );
    expect(jobLink(job({ messageIds: {} }))).toBeUndefined();
  });

  it('shows status, linked title, a relative time in whole seconds and the requester', () => {
    expect(historyLine(job({ title: 'The Lantern' }))).toBe(
      '✅ [The Lantern](https://discord.com/channels/111111111111111111/222222222222222222/444444444444444444) · <t:1700000000:R> · <@333333333333333333>',
    );
    expect(historyLine(job({ status: 'failed', messageIds: {} }))).toBe(
      '❌ The fox found a lantern. · <t:1700000000:R> · <@333333333333333333>',
    );
  });

  it('escapes markdown in titles, drops brackets that would end the link, and cuts at 60 characters', () => {
    const line = historyLine(job({ title: '**bold** _it_ ~~x~~ ||s|| `c` [a]](b) \\ end', messageIds: {} }));
    expect(line.startsWith('✅ \\*\\*bold\\*\\* \\_it\\_ \\~\\~x\\~\\~ \\|\\|s\\|\\| \\`c\\` a(b) \\\\ end · ')).toBe(true);
    const long = historyLine(job({ title: 'word '.repeat(30), messageIds: {} }));
    expect(long.split(' · ')[0]).toBe(`✅ ${'word '.repeat(11)}word…`); // 59 characters and the ellipsis
  });
});
