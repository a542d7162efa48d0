import { describe, expect, it } from 'vitest';
import { JsonBytes, JsonBytesPool } from './json-bytes.js';
import { samplePairJson } from './json.js';

const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('JsonBytes', () => {
  it('writes short and long texts, ASCII or not, growing past its first capacity', () => {
    const out = new JsonBytes(4);
    const texts = ['{', '"a":"x"', 'ü', 'ab東京', 'x'.repeat(100), 'Zürich '.repeat(20), '\ud800', '}'];
    for (const t of texts) out.text(t);
    out.bytes(new TextEncoder().encode('→'));
    expect(decode(out.take())).toBe(texts.join('').replace('\ud800', '\ufffd') + '→');
  });

  it('writes sample pairs after their encoded openings as samplePairJson does', () => {
    const values = [0, -0, 5, -5, 9, 10, 11, 2147483647, 2147483648, -2147483649, 4294967296, 1234567890123, 999999999999999, 1e15, 2 ** 60, 0.1, -1e-9, 1e300, NaN, Infinity, -Infinity];
    const out = new JsonBytes(8);
    const opening = new TextEncoder().encode('[1.500,"');
    for (const v of values) out.samplePair(opening, v);
    expect(decode(out.take())).toBe(values.map((v) => samplePairJson(1500, v)).join(''));
  });

  it('repeats bytes written since the last take, growing as needed, and refuses a range outside them', () => {
    const out = new JsonBytes(8);
    out.text('ab[xyz]');
    out.repeat(2, 7);
    out.repeat(0, 12);
    expect(decode(out.view())).toBe('ab[xyz][xyz]' + 'ab[xyz][xyz]');
    out.text('q');
    expect(() => out.repeat(0, 2)).toThrow(RangeError);
    expect(decode(out.take())).toBe('q');
  });

  it('starts empty again after take, and each take owns its buffer', () => {
    const out = new JsonBytes();
    out.text('first');
    const first = out.take();
    out.text('2');
    expect(out.length).toBe(1);
    expect([decode(first), decode(out.take())]).toEqual(['first', '2']);
    expect(first.byteLength).toBe(first.buffer.byteLength);
  });
});

describe('JsonBytesPool', () => {
  it('lends its one kept writer empty, a new one while it is out, and keeps only writers up to 1 MiB', () => {
    const pool = new JsonBytesPool(16);
    const first = pool.borrow();
    first.text('left over');
    const second = pool.borrow();
    expect(second).not.toBe(first);
    pool.release(first);
    pool.release(second);
    const again = pool.borrow();
    expect(again).toBe(first);
    expect(again.length).toBe(0);
    again.bytes(new Uint8Array(2 * 1024 * 1024));
    pool.release(again);
    expect(pool.borrow()).not.toBe(again);
  });

  it('hands written bytes on as a view of its buffer, without a copy, and starts empty again', () => {
    const out = new JsonBytes(64);
    out.text('abc');
    const view = out.view();
    expect(decode(view)).toBe('abc');
    expect(out.length).toBe(0);
    out.text('xyz');
    expect(decode(view)).toBe('xyz');
  });
});
