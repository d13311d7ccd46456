/**
 * What a media file holds, read with ffprobe. fluent-ffmpeg is used here and nowhere else
 * (upstream archived it; keeping it in one module keeps it replaceable). Its answer is
 * validated, not trusted.
 */
import ffmpeg from 'fluent-ffmpeg';
import { z } from 'zod';

export interface MediaInfo {
  durationSeconds: number;
  sizeBytes: number;
  formatName: string;
  video?: { codec: string; pixFmt: string; width: number; height: number; durationSeconds: number; frames?: number; profile?: string };
  audio?: { codec: string; durationSeconds: number; sampleRate: number; channels: number };
}

const num = z.union([z.number(), z.string()]).transform(Number).pipe(z.number().finite());
const optNum = z
  .union([z.number(), z.string()])
  .optional()
  .transform((v) => (v === undefined || v === 'N/A' ? undefined : Number(v)));

const probeSchema = z.object({
  format: z.object({ duration: num, size: optNum, format_name: z.string() }),
  streams: z.array(
    z.object({
      codec_type: z.string().optional(),
      codec_name: z.string().optional(),
      pix_fmt: z.string().optional(),
      width: z.number().optional(),
      height: z.number().optional(),
      duration: optNum,
      nb_frames: optNum,
      sample_rate: optNum,
      channels: z.number().optional(),
      profile: z.union([z.string(), z.number()]).optional(),
    }),
  ),
});

export class ProbeError extends Error {
  override readonly name = 'ProbeError';
}

function ffprobeJson(ffprobePath: string, path: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    ffmpeg(path)
      .setFfprobePath(ffprobePath)
      .ffprobe((error: Error | null, data: unknown) => (error ? reject(error) : resolve(data)));
  });
}

export async function probeMedia(ffprobePath: string, path: string): Promise<MediaInfo> {
  let raw: unknown;
  try {
    raw = await ffprobeJson(ffprobePath, path);
  } catch (error) {
    const first = ((error as Error).message ?? '').split('\n').find((l) => l.trim() && !l.startsWith('ffprobe exited')) ?? 'unreadable';
    throw new ProbeError(`Cannot read media file: ${first.trim()}`);
  }
  const parsed = probeSchema.safeParse(raw);
  if (!parsed.success) throw new ProbeError(`ffprobe gave an unexpected answer for a media file: ${parsed.error.issues[0]!.message}`);
  const { format, streams } = parsed.data;
  const v = streams.find((s) => s.codec_type === 'video');
  const a = streams.find((s) => s.codec_type === 'audio');
  return {
    durationSeconds: format.duration,
    sizeBytes: format.size ?? 0,
    formatName: format.format_name,
    video: v && {
      codec: v.codec_name ?? '',
      pixFmt: v.pix_fmt ?? '',
      width: v.width ?? 0,
      height: v.height ?? 0,
      durationSeconds: v.duration ?? format.duration,
      frames: v.nb_frames,
      profile: v.profile === undefined ? undefined : String(v.profile),
    },
    audio: a && {
      codec: a.codec_name ?? '',
      durationSeconds: a.duration ?? format.duration,
      sampleRate: a.sample_rate ?? 0,
      channels: a.channels ?? 0,
    },
  };
}
