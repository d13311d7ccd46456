/** Waits for jobs' ends, as the transport reports them (GatewayJobs tells it every end; Delete waits on it). */
export class JobEndings {
  private readonly waiting = new Map<string, (() => void)[]>();

  /** Resolves true when the job ends, false after `ms`. */
  wait(id: string, ms: number): { ended: Promise<boolean>; cancel: () => void } {
    let done!: (ended: boolean) => void;
    const ended = new Promise<boolean>((resolve) => (done = resolve));
    const onEnd = () => finish(true);
    const timer = setTimeout(() => finish(false), ms);
    const finish = (value: boolean) => {
      clearTimeout(timer);
      const list = (this.waiting.get(id) ?? []).filter((f) => f !== onEnd);
      if (list.length) this.waiting.set(id, list);
      else this.waiting.delete(id);
      done(value);
    };
    this.waiting.set(id, [...(this.waiting.get(id) ?? []), onEnd]);
    return { ended, cancel: () => finish(false) };
  }

  ended(id: string): void {
    for (const onEnd of this.waiting.get(id) ?? []) onEnd();
  }
}
