import xxhash from 'xxhash-wasm';

type Hasher = Awaited<ReturnType<typeof xxhash>>;
// The WebAssembly hasher is a pure function compiled once per process; it holds no state.
let hasher: Promise<Hasher> | undefined;

const SEP = 0xff;
const encoder = new TextEncoder();

/**
 * Where in its interval a group is evaluated, ms (fractional): upstream hashes the label set
 * `{file="<file>", name="<name>"}` with xxhash64 (the bytes `file␣<file>␣name␣<name>␣`, each ␣ a
 * 0xff byte) and takes it modulo the interval in nanoseconds. Using the same hash makes a group run
 * at the same instants as in Prometheus, so both write the same timestamps.
 */
export async function slotOffset(file: string, name: string, intervalMs: number): Promise<number> {
  hasher ??= xxhash();
  const { h64Raw } = await hasher;
  const parts = ['file', file, 'name', name].map((s) => encoder.encode(s));
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let at = 0;
  for (const p of parts) {
    bytes.set(p, at);
    at += p.length;
    bytes[at++] = SEP;
  }
  return Number(h64Raw(bytes) % (BigInt(intervalMs) * 1_000_000n)) / 1e6;
}
