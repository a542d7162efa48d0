/**
 * Shared memory the ingestion thread packs a select's head chunk bytes into, which a query worker
 * reads in place: lent with the answer and given back when the task ends (the pool's release),
 * then reused. A transferred buffer is new memory for every select, and the kernel's faulting in
 * of fresh pages was most of the cost of copying a large select's chunks (~10 MB for 20k series).
 * Sizes are powers of two; at most `retainBytes` of free arenas are kept, the rest left to the
 * garbage collector.
 */
export class ChunkArenas {
  private readonly free: SharedArrayBuffer[] = [];
  private freeBytes = 0;

  constructor(private readonly retainBytes: number) {}

  /** An arena of at least `minBytes` (a kept one when one is large enough; its old bytes are not cleared). */
  take(minBytes: number): SharedArrayBuffer {
    let best = -1;
    for (let i = 0; i < this.free.length; i++) {
      const size = this.free[i]!.byteLength;
      if (size >= minBytes && (best < 0 || size < this.free[best]!.byteLength)) best = i;
    }
    if (best < 0) return new SharedArrayBuffer(2 ** Math.ceil(Math.log2(Math.max(minBytes, 1))));
    const [arena] = this.free.splice(best, 1);
    this.freeBytes -= arena!.byteLength;
    return arena!;
  }

  /** Lets go of every kept arena (the pool went idle: its next select may be far off). */
  dropKept(): void {
    this.free.length = 0;
    this.freeBytes = 0;
  }

  /** Gives an arena back: no thread reads it any more. */
  give(arena: SharedArrayBuffer): void {
    if (this.freeBytes + arena.byteLength > this.retainBytes) return;
    this.free.push(arena);
    this.freeBytes += arena.byteLength;
  }
}
