const f64 = new Float64Array(2);
const u32 = new Uint32Array(f64.buffer);

/** True when two floats have the same IEEE-754 bits as far as JavaScript keeps them (0 and -0 differ). */
export function sameBits(a: number, b: number): boolean {
  if (a === b) return a !== 0 || Object.is(a, b);
  if (a === a || b === b) return false;
  f64[0] = a;
  f64[1] = b;
  return u32[0] === u32[2] && u32[1] === u32[3];
}
