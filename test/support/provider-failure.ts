import { expect } from 'vitest';
import { ProviderError } from '../../src/providers/errors.js';

/** The ProviderError a call fails with (and that it fails with one at all). */
export async function failure(p: Promise<unknown>): Promise<ProviderError> {
  const error = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}
