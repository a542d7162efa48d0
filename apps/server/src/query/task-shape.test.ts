import { describe, expect, it } from 'vitest';
import type { HttpTask } from './protocol.js';
import { taskShape } from './task-shape.js';

function httpTask(search: string, body?: string): HttpTask {
  const bytes = body === undefined ? undefined : (new TextEncoder().encode(body).buffer as ArrayBuffer);
  return { kind: 'http', route: 'query_range', search, body: bytes, params: {}, now: 0, deadline: 0, externalLabels: {}, gzip: false };
}

describe('taskShape', () => {
  it('is the same for a range query moved in time, in the URL or the form body', () => {
    const shape = taskShape(httpTask('?query=up&start=1000&end=4600&step=15'));
    expect(taskShape(httpTask('', 'query=up&start=2000&end=5600&step=15'))).toBe(shape);
    expect(taskShape(httpTask('?query=up&start=1970-01-01T00:33:20Z&end=1970-01-01T01:33:20Z&step=15'))).toBe(shape);
  });

  it('tells apart another query, step or range length', () => {
    const shape = taskShape(httpTask('?query=up&start=1000&end=4600&step=15'));
    expect(taskShape(httpTask('?query=up%20%3E%200&start=1000&end=4600&step=15'))).not.toBe(shape);
    expect(taskShape(httpTask('?query=up&start=1000&end=4600&step=30'))).not.toBe(shape);
    expect(taskShape(httpTask('?query=up&start=1000&end=8200&step=15'))).not.toBe(shape);
  });

  it('keys rule queries by their text, and leaves remote write bodies unpredicted', () => {
    expect(taskShape({ kind: 'instant-batch', queries: ['a', 'b'], time: 1 })).toBe(taskShape({ kind: 'instant-batch', queries: ['a', 'b'], time: 2 }));
    expect(taskShape({ kind: 'instant', query: 'a', time: 1 })).not.toBe(taskShape({ kind: 'instant-batch', queries: ['a'], time: 1 }));
    expect(taskShape({ kind: 'decode-write', body: new ArrayBuffer(0), contentType: undefined, contentEncoding: undefined, maxDecodedBytes: 1 })).toBeUndefined();
  });
});
