import { randomFillSync } from 'node:crypto';
import { misuseError } from './errors.js';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

export interface UlidGeneratorOptions {
  /** Milliseconds since the Unix epoch (default: Date.now). */
  now: () => number;
  /** Fills the array with random bytes (default: crypto.randomFillSync). */
  random: (bytes: Uint8Array) => void;
}

export function defaultUlidGeneratorOptions(): UlidGeneratorOptions {
  return { now: Date.now, random: (b) => void randomFillSync(b) };
}

/**
 * Generates ULIDs (26 Crockford base32 characters: 48-bit ms timestamp, 80 random bits), the
 * names of Prometheus blocks. Monotonic per generator: within one millisecond (or if the clock goes
 * backwards) the previous random part is incremented, so ULIDs sort in creation order.
 * Inject the clock and the random source in tests. Not shared across threads.
 */
export class UlidGenerator {
  private readonly options: UlidGeneratorOptions;
  private lastTime = -1;
  private readonly lastRandom = new Uint8Array(10);

  constructor(options: Partial<UlidGeneratorOptions> = {}) {
    this.options = { ...defaultUlidGeneratorOptions(), ...options };
  }

  next(): string {
    let t = Math.floor(this.options.now());
    if (t < 0 || t > 2 ** 48 - 1) throw misuseError(`ULID time ${t} is outside 0..2^48-1`);
    if (t <= this.lastTime) {
      t = this.lastTime;
      let i = 9;
      while (i >= 0 && this.lastRandom[i] === 0xff) this.lastRandom[i--] = 0;
      if (i < 0) throw misuseError('ULID random part overflowed within one millisecond');
      this.lastRandom[i]!++;
    } else {
      this.options.random(this.lastRandom);
      this.lastTime = t;
    }
    const bytes = new Uint8Array(16);
    for (let i = 5; i >= 0; i--) {
      bytes[i] = t % 256;
      t = Math.floor(t / 256);
    }
    bytes.set(this.lastRandom, 6);
    return encodeUlid(bytes);
  }
}

/** The 26-character Crockford base32 form of 16 bytes (two leading zero bits pad 128 to 130 bits). */
export function encodeUlid(bytes: Uint8Array): string {
  let out = '';
  for (let c = 0; c < 26; c++) {
    let v = 0;
    for (let k = 0; k < 5; k++) {
      const bit = c * 5 + k - 2;
      v = (v << 1) | (bit < 0 ? 0 : (bytes[bit >>> 3]! >>> (7 - (bit & 7))) & 1);
    }
    out += ALPHABET[v];
  }
  return out;
}

/** The millisecond timestamp in a ULID, or undefined when `s` is not a ULID. */
export function ulidTime(s: string): number | undefined {
  if (!/^[0-7][0-9A-HJKMNP-TV-Z]{25}$/.test(s)) return undefined;
  let t = 0;
  for (let i = 0; i < 10; i++) t = t * 32 + ALPHABET.indexOf(s[i]!);
  return t;
}
