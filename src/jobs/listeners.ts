/** A typed set of listeners per event name (a tiny EventEmitter that type-checks its payloads). */
export class Listeners<E extends { [K in keyof E]: (...args: never[]) => void }> {
  private readonly map = new Map<keyof E, E[keyof E][]>();

  on<K extends keyof E>(event: K, listener: E[K]): void {
    const list = this.map.get(event) ?? [];
    list.push(listener);
    this.map.set(event, list);
  }

  emit<K extends keyof E>(event: K, ...args: Parameters<E[K]>): void {
    for (const l of this.map.get(event) ?? []) (l as (...a: Parameters<E[K]>) => void)(...args);
  }
}
