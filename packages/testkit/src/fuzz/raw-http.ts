import { connect } from 'node:net';

/** What came back for one raw request. */
export interface RawAnswer {
  /** The final (non-1xx) status code, or undefined when no status line arrived. */
  status: number | undefined;
  /** Response headers, names lower-cased (the last value wins). */
  headers: Map<string, string>;
  /** The response body, de-chunked. */
  body: Buffer;
  /** Why no answer was read: a socket error, a timeout, or a malformed status line. */
  failure: string | undefined;
}

/** Where a raw request goes and how long to wait for its answer. */
export interface RawTarget {
  host: string;
  port: number;
  timeoutMs: number;
}

/**
 * Writes `request` (the exact bytes of a request, malformed or not) to a fresh TCP connection and
 * reads until the server closes the connection or `timeoutMs` passes. The requests built by the
 * fuzz cases carry `Connection: close`, so a complete answer always ends with the server closing.
 * `halfClose` also ends our side after writing, for requests cut short on purpose (the server
 * must see them end; node:http drops the answer of a client that half-closes early, so complete
 * requests keep the connection open). A connection reset after a status line arrived still
 * yields it.
 */
export function sendRaw(target: RawTarget, request: Buffer, isHead: boolean, halfClose = false): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const socket = connect({ host: target.host, port: target.port });
    const finish = (failure: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseAnswer(Buffer.concat(chunks), isHead, failure));
    };
    const timer = setTimeout(() => finish(`no answer within ${target.timeoutMs} ms`), target.timeoutMs);
    socket.on('connect', () => {
      socket.write(request, () => {
        if (halfClose) socket.end();
      });
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', () => finish(undefined));
    socket.on('close', () => finish(undefined));
    // EPIPE/ECONNRESET: the server stopped reading (e.g. refused an oversized body); what it sent counts.
    socket.on('error', (err: NodeJS.ErrnoException) => finish(chunks.length > 0 ? undefined : `${err.code ?? err.message}`));
  });
}

const HEADER_END = Buffer.from('\r\n\r\n');

function parseAnswer(raw: Buffer, isHead: boolean, failure: string | undefined): RawAnswer {
  let rest = raw;
  for (;;) {
    const end = rest.indexOf(HEADER_END);
    if (end < 0) return noAnswer(failure ?? (raw.length === 0 ? 'closed the connection without an answer' : `incomplete answer: ${JSON.stringify(raw.subarray(0, 80).toString('latin1'))}`));
    const lines = rest.subarray(0, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0]!);
    if (m === null) return noAnswer(`malformed status line ${JSON.stringify(lines[0])}`);
    const status = Number(m[1]);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
    }
    rest = rest.subarray(end + HEADER_END.length);
    if (status >= 100 && status < 200) continue; // interim answer (100 Continue); the final one follows
    const body = isHead || status === 204 || status === 304 ? Buffer.alloc(0) : bodyOf(rest, headers);
    return { status, headers, body, failure: undefined };
  }
}

function bodyOf(rest: Buffer, headers: Map<string, string>): Buffer {
  if (/\bchunked\b/i.test(headers.get('transfer-encoding') ?? '')) return dechunk(rest);
  const length = Number(headers.get('content-length') ?? NaN);
  return Number.isInteger(length) ? rest.subarray(0, length) : rest;
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let pos = 0;
  while (pos < data.length) {
    const lineEnd = data.indexOf('\r\n', pos);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(pos, lineEnd).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    pos = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function noAnswer(failure: string): RawAnswer {
  return { status: undefined, headers: new Map(), body: Buffer.alloc(0), failure };
}
