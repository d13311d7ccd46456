import { describe, expect, it } from 'vitest';
import { ProgressState } from '../../src/discord/progress-state.js';
import { renderEndEmbed, renderProgressEmbed, renderResultEmbed, safeTitle } from '../../src/discord/progress-embed.js';
import { truncate } from '../../src/core/truncate.js';
import { translator } from '../../src/i18n/translate.js';

const en = translator('en');

describe('progress embed', () => {
  it('20 scenes fit Discord limits and every phase renders', () => {
    const state = new ProgressState('A title');
    state.queued(3);
    expect(renderProgressEmbed(state, 0, en).description).toBe("⏳ Waiting: number 3 in this server's queue.");
    state.started(1000);
    state.apply({ type: 'script', atMs: 1, scenes: 20, writer: 'local' });
    for (let i = 0; i < 20; i++) {
      state.apply({ type: 'asset', atMs: 2, scene: i, kind: 'image', state: 'done', attempt: 1, provider: 'p' });
      if (i % 2) state.apply({ type: 'asset', atMs: 2, scene: i, kind: 'voice', state: 'retrying', attempt: 1, provider: 'v', error: 'x' });
    }
    const embed = renderProgressEmbed(state, 11_000, en);
    expect(embed.description!.length).toBeLessThanOrEqual(4096);
    expect(JSON.stringify(embed).length).toBeLessThan(6000);
    expect(embed.description).toContain('`20` 🖼️✅ 🔊⚠️ 🎞️⬜');
    expect(embed.description).toMatch(/10s elapsed · about \d+s left/);
    expect(state.fraction()).toBeCloseTo(20 / 61, 5);
  });

  it('titles are escaped and cut safely; an emoji is never split', () => {
    expect(safeTitle('**bold** @everyone _x_')).toBe('\\*\\*bold\\*\\* @everyone \\_x\\_');
    expect(truncate('😀'.repeat(300), 256)).toBe('😀'.repeat(255) + '…');
    expect([...safeTitle('😀'.repeat(300))]).toHaveLength(256);
  });

  it('result and end embeds carry the summary and the job id', () => {
    const result = renderResultEmbed(
      {
        title: 't',
        scenes: 3,
        durationSeconds: 75,
        tookSeconds: 12,
        sizeBytes: 5 * 1024 * 1024,
        providers: { writer: 'local', image: 'local', voice: 'espeak' },
        fallbackScenes: [1],
        jobId: 'abc',
        requesterId: '42',
      },
      en,
    );
    expect(result.fields?.map((f) => f.value)).toEqual(['3', '1m 15s', '12s', '5.0 MiB', 'local scenes · local images · espeak voice']);
    expect(result.description).toMatch(/Scenes 2 used a stand-in/);
    expect(renderEndEmbed('t', 'failed', 'why', 'abc', en)).toMatchObject({ footer: { text: 'job abc' } });
  });
});
