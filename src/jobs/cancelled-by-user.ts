/** The reason a job's AbortSignal carries when a person pressed Cancel (shown as "Cancelled by @them"). */
export class CancelledByUser extends Error {
  override readonly name = 'CancelledByUser';
  constructor(readonly userId: string) {
    super(`cancelled by ${userId}`);
  }
}
