/**
 * The one error type providers throw. Its message is one line and never holds a secret:
 * clients build it from status codes and their own words, never from request headers or URLs
 * that carry a key.
 */
export class ProviderError extends Error {
  override readonly name = 'ProviderError';
  constructor(
    message: string,
    readonly info: {
      provider: string;
      /** Worth another attempt (timeouts, 5xx, 429, bad bytes in a 200). */
      retryable: boolean;
      /** The service asked us to wait this long (Retry-After, queue full): slow the whole provider. */
      retryAfterMs?: number;
      /** A rate limit (429, queue full): a reason to wait, not a failure of the request. */
      rateLimited?: boolean;
      /** HTTP status, when there was one. */
      status?: number;
    },
  ) {
    super(message);
  }

  get retryable(): boolean {
    return this.info.retryable;
  }
}

export function isProviderError(err: unknown): err is ProviderError {
  return err instanceof ProviderError;
}
