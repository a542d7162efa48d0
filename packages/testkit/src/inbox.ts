/**
 * What a test server received so far (requests, e-mails), and a way to wait for more: `push`
 * from the server, `waitFor(n)` from the test.
 */
export class Inbox<T> {
  readonly items: T[] = [];
  private waiters: (() => void)[] = [];

  constructor(private readonly what: string) {}

  push(item: T): void {
    this.items.push(item);
    for (const w of this.waiters.splice(0)) w();
  }

  /** Resolves once `count` items have arrived in total (rejects after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 5_000): Promise<T[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.items.length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} ${this.what}, got ${this.items.length}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.items;
  }
}
