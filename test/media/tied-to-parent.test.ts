/** ffmpeg dies with the process that started it, even when that process is killed with SIGKILL. */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { tiedToParent } from '../../src/core/tied-to-parent.js';

/** The pids whose parent is `pid`, from /proc. */
async function childrenOf(pid: number): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '');
    // pid (comm) state ppid ...: comm may hold spaces, so read after its closing parenthesis
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid === pid) found.push(Number(name));
  }
  return found;
}

const alive = async (pid: number) =>
  readFile(`/proc/${pid}/stat`, 'utf8').then(
    (stat) => !/^\d+ \(.*\) Z/.test(stat), // a zombie has exited
    () => false,
  );

async function until<T>(what: string, check: () => Promise<T | undefined>, limitMs = 60_000): Promise<T> {
  const end = Date.now() + limitMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`not seen within ${limitMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.runIf(process.platform === 'linux')('children tied to their parent', () => {
  it('a SIGKILLed process takes its running ffmpeg with it', async () => {
    const parent = spawn(process.execPath, ['--import', 'tsx', 'test/media/long-encode-child.ts'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      const [first] = (await once(parent.stdout!, 'data')) as [Buffer];
      expect(first.toString()).toContain('started');
      const ffmpeg = await until('ffmpeg under the parent', async () => {
        for (const pid of await childrenOf(parent.pid!)) {
          const cmd = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
          if (cmd.includes('ffmpeg') && cmd.includes('testsrc2')) return pid;
        }
        return undefined;
      });
      parent.kill('SIGKILL');
      await once(parent, 'exit');
      await until('ffmpeg gone after its parent', async () => ((await alive(ffmpeg)) ? undefined : true));
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('runs a program it cannot find as it is, so that spawn still reports it missing', () => {
    expect(tiedToParent('no-such-program-here', ['-x'])).toEqual(['no-such-program-here', ['-x']]);
    const [command, args] = tiedToParent(process.execPath, ['-v']);
    expect(command).toMatch(/setpriv$/);
    expect(args).toEqual(['--pdeathsig', 'SIGKILL', '--', process.execPath, '-v']);
  });
});
