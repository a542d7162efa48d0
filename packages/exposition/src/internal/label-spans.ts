import { Labels } from '@pyrometer/model';
import { ExpositionError } from '../exposition-error.js';
import { unescape } from './bytes.js';

/**
 * Byte positions of the label pairs of one line (name start/end, value start/end), reused from
 * line to line so a known series costs no allocation. `escaped` marks names or values holding a
 * backslash (bit 0: name, bit 1: value); `quotedName` marks quoted (UTF-8) label names.
 */
export class LabelSpans {
  pos = new Int32Array(64);
  flags = new Uint8Array(16);
  n = 0;

  push(ns: number, ne: number, vs: number, ve: number, flags: number): void {
    if (this.n * 4 + 4 > this.pos.length) {
      const pos = new Int32Array(this.pos.length * 2);
      pos.set(this.pos);
      this.pos = pos;
      const fl = new Uint8Array(this.flags.length * 2);
      fl.set(this.flags);
      this.flags = fl;
    }
    const k = this.n * 4;
    this.pos[k] = ns;
    this.pos[k + 1] = ne;
    this.pos[k + 2] = vs;
    this.pos[k + 3] = ve;
    this.flags[this.n] = flags;
    this.n++;
  }

  name(i: number, decode: (s: number, e: number) => string): string {
    const s = decode(this.pos[i * 4]!, this.pos[i * 4 + 1]!);
    return (this.flags[i]! & 1) === 0 ? s : unescape(s, true);
  }

  value(i: number, decode: (s: number, e: number) => string): string {
    const s = decode(this.pos[i * 4 + 2]!, this.pos[i * 4 + 3]!);
    return (this.flags[i]! & 2) === 0 ? s : unescape(s, true);
  }
}

/**
 * Builds a sorted label set from name/value pairs (flat `[n0, v0, n1, v1, …]`, any order). Empty
 * values are dropped (Prometheus semantics); a repeated name is an error naming the line.
 */
export function labelsFromPairs(flat: string[], line: number): Labels {
  const n = flat.length >> 1;
  // Insertion sort of pair indexes: label sets are short.
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    const name = flat[i * 2]!;
    let j = order.length;
    while (j > 0 && flat[order[j - 1]! * 2]! > name) j--;
    order.splice(j, 0, i);
  }
  const out: string[] = [];
  let prev: string | undefined;
  for (const i of order) {
    const name = flat[i * 2]!;
    if (name === prev) throw new ExpositionError('invalid-family', `label name ${JSON.stringify(name)} is not unique`, { line, column: 1 });
    prev = name;
    const value = flat[i * 2 + 1]!;
    if (value !== '') out.push(name, value);
  }
  return Labels.fromSortedFlat(out);
}
