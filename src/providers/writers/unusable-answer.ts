/**
 * A writer got an answer it cannot use (broken JSON, a wrong scene count, an empty field, a
 * refusal). Not a failure of the service: the engine may send `reason` back once with `answer`
 * (a repair request, see WriteRequest.repair) before the offline writer stands in.
 */
export class UnusableAnswerError extends Error {
  override readonly name = 'UnusableAnswerError';
  constructor(
    /** One short line saying what is wrong, quoted back to the model in a repair. */
    readonly reason: string,
    /** The answer as the model gave it ('' for a refusal). */
    readonly answer: string,
  ) {
    super(`the answer cannot be used: ${reason}`);
  }
}

export function isUnusableAnswer(error: unknown): error is UnusableAnswerError {
  return error instanceof UnusableAnswerError;
}
