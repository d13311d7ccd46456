/** A REST request's body: JSON, or multipart (payload_json + files[n]) parsed by the platform's FormData. */
import type { IncomingMessage } from 'node:http';

export interface ParsedBody {
  json: Record<string, unknown> | undefined;
  files: { field: string; name: string; bytes: Buffer }[];
  size: number;
}

export async function readRequestBody(req: IncomingMessage): Promise<ParsedBody> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  const type = String(req.headers['content-type'] ?? '');
  if (type.startsWith('multipart/form-data')) {
    const form = await new Request('http://fake.local/', { method: 'POST', headers: { 'content-type': type }, body: raw }).formData();
    const files: ParsedBody['files'] = [];
    let json: Record<string, unknown> | undefined;
    for (const [field, value] of form.entries()) {
      if (typeof value === 'string') {
        if (field === 'payload_json') json = JSON.parse(value);
      } else {
        files.push({ field, name: value.name, bytes: Buffer.from(await value.arrayBuffer()) });
      }
    }
    return { json, files, size: raw.length };
  }
  if (raw.length === 0) return { json: undefined, files: [], size: 0 };
  try {
    return { json: JSON.parse(raw.toString('utf8')), files: [], size: raw.length };
  } catch {
    return { json: undefined, files: [], size: raw.length };
  }
}
