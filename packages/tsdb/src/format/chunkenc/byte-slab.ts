/** Default slab size: large enough that carving is nearly free, small enough to be freed soon. */
const DEFAULT_SLAB_SIZE = 1 << 20;

/**
 * Hands out small zeroed byte arrays carved, in order, from shared slabs (plain `new Uint8Array`
 * costs a separate off-heap allocation each, and their churn drives garbage collections). A slab is
 * freed only when every array carved from it is unreachable, so use one for data that dies in
 * cohorts, like head chunks, which are dropped by time. Arrays are 8-byte aligned; one larger than
 * a slab gets a slab of its own. Not a pool: nothing is ever handed out twice.
 */
export class ByteSlab {
  private slab = new ArrayBuffer(0);
  private used = 0;

  constructor(private readonly slabSize = DEFAULT_SLAB_SIZE) {}

  /** A zeroed array of `n` bytes. */
  take(n: number): Uint8Array {
    const size = (n + 7) & ~7;
    if (this.used + size > this.slab.byteLength) {
      this.slab = new ArrayBuffer(Math.max(this.slabSize, size));
      this.used = 0;
    }
    const bytes = new Uint8Array(this.slab, this.used, n);
    this.used += size;
    return bytes;
  }
}
