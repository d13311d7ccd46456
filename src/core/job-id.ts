/** A job's id: made here, and checked with this one pattern wherever one arrives (custom_ids, tickets, history). */
import { randomInt } from 'node:crypto';

const ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';
const ID_LENGTH = 12;

/** What a job id may look like: lowercase base-36, 6-32 characters (ids made here have 12). */
export const JOB_ID_PATTERN = /^[a-z0-9]{6,32}$/;

export const isJobId = (id: unknown): id is string => typeof id === 'string' && JOB_ID_PATTERN.test(id);

/** 12 random base-36 characters (62 bits): short, and safe inside a Discord custom_id. */
export function newJobId(): string {
  let id = '';
  for (let i = 0; i < ID_LENGTH; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}
