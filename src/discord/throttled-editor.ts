/**
 * Coalesces edits to one message: only the latest state is kept, at most one send per interval,
 * never two in flight, and the last state always goes out (trailing edge). Discord's edit rate
 * for interaction webhooks is about 5 per 2 s per token, so progress never edits per event.
 */
export interface ThrottledEditorOptions<P> {
  send: (payload: P) => Promise<void>;
  minIntervalMs?: number;
  /** Told about each failed send; return true when the error is fatal (stop editing). */
  onError?: (error: unknown) => boolean;
}

export class ThrottledEditor<P> {
  private pending: P | undefined;
  private hasPending = false;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastSentAt = 0;
  private stopped = false;

  constructor(private readonly opts: ThrottledEditorOptions<P>) {}

  private get interval(): number {
    return this.opts.minIntervalMs ?? 1500;
  }

  update(payload: P): void {
    if (this.stopped) return;
    this.pending = payload;
    this.hasPending = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.inFlight || !this.hasPending || this.stopped) return;
    const wait = Math.max(0, this.lastSentAt + this.interval - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.sendPending();
    }, wait);
  }

  private async sendPending(): Promise<void> {
    if (!this.hasPending || this.stopped) return;
    const payload = this.pending as P;
    this.hasPending = false;
    this.pending = undefined;
    this.lastSentAt = Date.now();
    this.inFlight = this.opts.send(payload).catch((error: unknown) => {
      if (this.opts.onError?.(error) === true) this.stop();
    });
    await this.inFlight;
    this.inFlight = undefined;
    this.lastSentAt = Date.now();
    this.schedule();
  }

  /** Send what is pending now (after any send in flight) and wait for it. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.inFlight) await this.inFlight;
    if (this.hasPending && !this.stopped) await this.sendPending();
  }

  /** Drop anything pending and send nothing more. */
  stop(): void {
    this.stopped = true;
    this.hasPending = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
