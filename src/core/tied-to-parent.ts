/**
 * A child process that dies with us. Node kills nothing it started when it is killed itself (kill -9,
 * the OOM killer): an ffmpeg would be reparented to PID 1 and keep encoding a clip, or a whole
 * batch, for nobody. On Linux, util-linux's `setpriv --pdeathsig SIGKILL` asks the kernel to kill
 * the child when its parent goes (PR_SET_PDEATHSIG), then execs the program in place (same pid,
 * same stdio). Elsewhere, without setpriv, or when the program itself cannot be found (so that
 * spawn's own ENOENT still says so), the command is run as it is.
 */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

let setpriv: string | null | undefined;

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** Where a program is: a path as given, or the first folder of PATH that holds it. */
function locate(program: string): string | null {
  if (program.includes('/')) return executable(program) ? program : null;
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir || '.', program);
    if (executable(candidate)) return candidate;
  }
  return null;
}

/** The command and arguments to spawn so that `binary` is killed when this process dies. */
export function tiedToParent(binary: string, args: string[]): [string, string[]] {
  setpriv ??= process.platform === 'linux' ? locate('setpriv') : null;
  return setpriv && locate(binary) ? [setpriv, ['--pdeathsig', 'SIGKILL', '--', binary, ...args]] : [binary, args];
}
