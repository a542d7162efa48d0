/** The uvarint at `pos` if it takes at most 5 bytes (a chunk length), or -1 when it is longer or cut short. */
export function uvarintAt(buf: Uint8Array, pos: number): number {
  let v = 0;
  let mul = 1;
  for (let i = 0; i < 5 && pos + i < buf.length; i++) {
    const b = buf[pos + i]!;
    v += (b & 0x7f) * mul;
    if (b < 0x80) return v;
    mul *= 0x80;
  }
  return -1;
}

/** How many bytes the (canonical) uvarint encoding of `v` takes. */
export function uvarintSize(v: number): number {
  let n = 1;
  while (v >= 0x80) {
    v = Math.floor(v / 0x80);
    n++;
  }
  return n;
}
