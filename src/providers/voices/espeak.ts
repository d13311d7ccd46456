/**
 * The offline voice: espeak-ng writes a WAV. Robotic, but real speech with no network and no key.
 * The text goes in on stdin (never as an argument, so nothing in it can become an option).
 * espeak-ng's CLI writes no word events, so the word timings (for karaoke) are estimated from
 * its audio: estimate-word-times.ts, measured against the library's own events in its test.
 */
import { spawn } from 'node:child_process';
import type { Speech, SpeechRequest, VoiceProvider } from '../types.js';
import { ProviderError } from '../errors.js';
import { voiceForText } from './voice-for-script.js';
import { readWav, withWavSizes } from '../../core/wav.js';
import { estimateWordTimes } from './estimate-word-times.js';
import { tiedToParent } from '../../core/tied-to-parent.js';

const VOICE_ID = /^[a-z]{2,3}(-[a-z0-9-]+)?(\+[a-z0-9]+)?$/i;

export class EspeakVoiceProvider implements VoiceProvider {
  readonly name = 'espeak';
  readonly model = 'espeak-ng';
  readonly concurrency = 2;
  readonly defaultVoice: string;
  private readonly binary: string;

  constructor(opts: { path?: string; voice?: string } = {}) {
    this.binary = opts.path ?? 'espeak-ng';
    this.defaultVoice = opts.voice ?? 'en-us';
  }

  /** The voice to use: a valid requested one, else one matching the text's script. */
  voiceFor(text: string, requested?: string): string {
    if (requested && VOICE_ID.test(requested) && requested !== this.defaultVoice) return requested;
    return this.defaultVoice.startsWith('en') ? voiceForText(text, this.defaultVoice) : this.defaultVoice;
  }

  synthesize(req: SpeechRequest): Promise<Speech> {
    const voice = this.voiceFor(req.text, req.voice);
    const { signal } = req;
    const spoken = req.text.replace(/\s+/g, ' ').trim();
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const child = spawn(...tiedToParent(this.binary, ['-v', voice, '-s', '165', '--stdin', '--stdout']), {
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      let err = '';
      const onAbort = () => child.kill('SIGKILL');
      signal?.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (c: Buffer) => {
        out.push(c);
        req.onAudio?.();
      });
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('error', (error: NodeJS.ErrnoException) => {
        signal?.removeEventListener('abort', onAbort);
        reject(
          error.code === 'ENOENT'
            ? new ProviderError(
                `espeak-ng not found at "${this.binary}": install it (sudo apt-get install espeak-ng) or set ESPEAK_PATH.`,
                { provider: this.name, retryable: false },
              )
            : new ProviderError(`espeak-ng could not start: ${error.message}`, { provider: this.name, retryable: true }),
        );
      });
      child.on('close', (code) => {
        signal?.removeEventListener('abort', onAbort);
        if (signal?.aborted) return reject(signal.reason);
        const audio = Buffer.concat(out);
        if (code !== 0 || audio.length <= 44 || audio.toString('ascii', 0, 4) !== 'RIFF') {
          return reject(
            new ProviderError(`espeak-ng failed (exit ${code}): ${err.trim().split('\n')[0] || 'no audio'}`, {
              provider: this.name,
              retryable: true,
            }),
          );
        }
        const wav = withWavSizes(audio);
        const pcm = readWav(wav);
        const words = pcm ? estimateWordTimes(spoken, pcm) : undefined;
        resolve({ audio: wav, format: 'wav', ...(words ? { words, wordTimings: 'estimated' as const } : {}) });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(spoken + '\n');
    });
  }
}
