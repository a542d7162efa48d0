import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FromWorker } from './protocol.js';
import { ResponseStream } from './response-stream.js';

/** What one answer posted to the main thread: its messages' bodies joined and whether the first said gzip. */
interface Posted {
  text: () => string;
  gzip: boolean;
  messages: number;
}

/** A response stream whose messages are kept (bodies copied, as a transfer would detach them) and credited at once when `credit`. */
function stream(id: number, gzip: boolean, credit = true): { out: ResponseStream; posted: Posted } {
  const bodies: Buffer[] = [];
  const posted: Posted = {
    text: () => (posted.gzip ? gunzipSync(Buffer.concat(bodies)) : Buffer.concat(bodies)).toString('utf8'),
    gzip: false,
    messages: 0,
  };
  const out: ResponseStream = new ResponseStream(
    id,
    (message: FromWorker) => {
      if (message.type !== 'head' && message.type !== 'chunk') throw new Error(`unexpected ${message.type}`);
      if (message.type === 'head') posted.gzip = message.head.contentEncoding === 'gzip';
      bodies.push(Buffer.from(new Uint8Array(message.body)));
      posted.messages++;
      if (credit && message.type === 'chunk') queueMicrotask(() => out.credit());
    },
    { aborted: false },
    gzip,
  );
  return { out, posted };
}

/** Pieces of an answer: text and byte pieces alternating, the bytes a view the caller rewrites after each piece (as encoders reuse their buffers). */
function* pieces(label: string, count: number): Generator<string | Uint8Array> {
  const scratch = new Uint8Array(64);
  for (let i = 0; i < count; i++) {
    yield `"${label}-${i}":`;
    const bytes = new TextEncoder().encodeInto(`[${i},"${label}"],`, scratch).written;
    yield scratch.subarray(0, bytes);
    scratch.fill(0x3f);
  }
}

const expected = (label: string, count: number): string => Array.from(pieces(label, count), (p) => (typeof p === 'string' ? p : new TextDecoder().decode(p))).join('');

describe('ResponseStream', () => {
  it.each([true, false])('sends whole answers one after another from its reused buffer, each exactly (gzip %s)', async (gzip) => {
    for (const [label, count] of [['big', 3000], ['small', 10], ['mid', 800]] as const) {
      const { out, posted } = stream(1, gzip);
      await out.send(200, 'application/json', pieces(label, count));
      expect(posted.messages).toBe(1);
      expect(posted.text()).toBe(expected(label, count));
    }
  });

  it('sends a whole answer while a streamed one waits for the main thread, both exactly', async () => {
    // ~1.3 MB: streamed in several chunks; no credits, so it stops once WINDOW chunks are unwritten.
    const streamed = stream(1, false, false);
    const sending = streamed.out.send(200, 'application/json', pieces('streamed', 60_000));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const whole = stream(2, true);
    await whole.out.send(200, 'application/json', pieces('whole', 2000));
    expect(whole.posted.text()).toBe(expected('whole', 2000));
    for (let i = 0; i < 20; i++) streamed.out.credit();
    await sending;
    expect(streamed.posted.messages).toBeGreaterThan(2);
    expect(streamed.posted.text()).toBe(expected('streamed', 60_000));
  });
});
