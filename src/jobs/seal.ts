/**
 * Seals what must cross Redis but must not sit there readable: the interaction token in a job's
 * ticket lets its holder post as the bot in that conversation for 15 minutes. AES-256-GCM with a
 * key derived (HKDF-SHA256) from TICKET_KEY, or from the bot token when that is not set (the
 * gateway and every worker already hold it: the same .env). Redis alone reveals nothing; a ticket
 * opens only whole (the full 16-byte tag: a truncated one is refused) and only as the job it was
 * sealed for (the job id is the associated data, so a ticket copied onto another job's key fails).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

export interface Sealer {
  /** `context` (the job id) is bound to the sealed text: open() must be given the same. */
  seal(text: string, context: string): string;
  open(sealed: string, context: string): string;
}

const TAG_BYTES = 16;
const IV_BYTES = 12;

export function createSealer(secret: string): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'storyreel', 'job ticket v1', 32));
  return {
    seal(text, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return ['v2', iv.toString('base64'), cipher.getAuthTag().toString('base64'), body.toString('base64')].join('.');
    },
    open(sealed, context) {
      const [version, iv, tag, body, ...rest] = sealed.split('.');
      // v1 (no associated data) is what queued jobs of the previous release carry: still read, for a day at most
      if ((version !== 'v2' && version !== 'v1') || !iv || !tag || body === undefined || rest.length > 0)
        throw new Error('not a sealed ticket');
      const ivBytes = Buffer.from(iv, 'base64');
      const tagBytes = Buffer.from(tag, 'base64');
      if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) throw new Error('not a whole sealed ticket');
      const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
      if (version === 'v2') decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64')), decipher.final()]).toString('utf8');
    },
  };
}
