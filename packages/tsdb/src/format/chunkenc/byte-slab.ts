/** Default slab size: large enough that carving is nearly free, small enough to be freed soon. */
const DEFAULT_SLAB_SIZE = 1 << 20;

/**
 * Hands out small zeroed byte ranges carved, in order, from shared slabs (plain `new Uint8Array`
 * costs a separate off-heap allocation each, and their churn drives garbage collections). A slab is
 * freed only when every array carved from it is unreachable, so use one for data that dies in
 * cohorts, like head chunks, which are dropped by time. Arrays are 8-byte aligned; one larger than
 * a slab gets a slab of its own. Not a pool: nothing is ever handed out twice.
 */
export class ByteSlab {
  /** The slab the last {@link reserve} carved from. */
  current = new Uint8Array(0);
  private used = 0;

  constructor(private readonly slabSize = DEFAULT_SLAB_SIZE) {}

  /**
   * Reserves `n` zeroed bytes and returns where they start in {@link current} (read it after this
   * call): holding the slab and an offset costs no array object per reservation.
   */
  reserve(n: number): number {
    const size = (n + 7) & ~7;
    if (this.used + size > this.current.length) {
      this.current = new Uint8Array(Math.max(this.slabSize, size));
      this.used = 0;
    }
    const at = this.used;
    this.used += size;
    return at;
  }
}
