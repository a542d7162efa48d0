/** What a response's head says, as far as reading a scrape body needs it. */
export interface ResponseHead {
  status: number;
  contentType: string | undefined;
  /** Lower case; '' when absent. */
  contentEncoding: string;
  /** NaN when absent (chunked or read until the connection closes). */
  contentLength: number;
  /** The connection may carry another request after this response (HTTP/1.1 without `Connection: close`, body framed). */
  keepAlive: boolean;
}

/** Where a response's parts go as they are read. */
export interface ResponseSink {
  /** The head is complete (interim 1xx heads are skipped). May throw to fail the response. */
  head(head: ResponseHead): void;
  /** Body bytes, already out of their chunked framing: `buf[start, end)`, valid during the call only. */
  body(buf: Buffer, start: number, end: number): void;
}

/** A malformed response: the connection cannot be used any more. */
export class HttpProtocolError extends Error {}

/** Response heads larger than this are refused (Go's default is 1 MiB; undici's 16 KiB). */
const MAX_HEAD_BYTES = 64 * 1024;

const CR = 0x0d;
const LF = 0x0a;
const SEMICOLON = 0x3b;

const State = { Head: 0, Length: 1, ChunkSize: 2, ChunkExtension: 3, ChunkData: 4, ChunkDataEnd: 5, Trailers: 6, UntilClose: 7, Done: 8 } as const;
type State = (typeof State)[keyof typeof State];

/**
 * An HTTP/1.x response read from bytes as they arrive, one response per parser: the status line
 * and headers, then the body framed by `Transfer-Encoding: chunked`, by `Content-Length`, or by the
 * end of the connection (as Go's and undici's clients read them). Lines may end in CRLF or LF.
 * Anything else throws {@link HttpProtocolError}. Bodies of responses other than 200 are not
 * framed: the caller stops at their head (a scrape fails on them).
 */
export class Http1Response {
  private state: State = State.Head;
  private head = Buffer.alloc(512);
  private headLength = 0;
  /** Head: newlines seen in a row (CRs aside). Trailers: bytes on the current line. */
  private lineRun = 0;
  /** Body bytes left of the Content-Length or of the current chunk. */
  private left = 0;
  private chunkDigits = 0;
  /** Bytes arrived after the response's end (the connection is not reused then). */
  extraBytes = false;

  constructor(private readonly sink: ResponseSink) {}

  /** The response has been read to its end. */
  get done(): boolean {
    return this.state === State.Done;
  }

  /** Reads `buf[start, end)`; true once the response is complete. */
  feed(buf: Buffer, start: number, end: number): boolean {
    let p = start;
    while (p < end && this.state !== State.Done) {
      switch (this.state) {
        case State.Head:
          p = this.readHead(buf, p, end);
          break;
        case State.Length:
        case State.ChunkData:
        case State.UntilClose: {
          const n = this.state === State.UntilClose ? end - p : Math.min(this.left, end - p);
          this.sink.body(buf, p, p + n);
          p += n;
          if (this.state === State.UntilClose) break;
          this.left -= n;
          if (this.left === 0) this.state = this.state === State.Length ? State.Done : State.ChunkDataEnd;
          break;
        }
        default:
          p = this.readChunkFraming(buf[p]!, p);
      }
    }
    if (p < end) this.extraBytes = true;
    return this.state === State.Done;
  }

  /**
   * The connection ended: true when that completes the response (a body read until the close);
   * false when it was cut short.
   */
  endOfStream(): boolean {
    if (this.state === State.UntilClose) this.state = State.Done;
    return this.state === State.Done;
  }

  private readHead(buf: Buffer, p: number, end: number): number {
    while (p < end) {
      const c = buf[p++]!;
      if (this.headLength === this.head.length) {
        if (this.headLength >= MAX_HEAD_BYTES) throw new HttpProtocolError(`response head larger than ${MAX_HEAD_BYTES} bytes`);
        const grown = Buffer.alloc(this.head.length * 2);
        this.head.copy(grown);
        this.head = grown;
      }
      this.head[this.headLength++] = c;
      if (c === LF) {
        if (++this.lineRun === 2) {
          this.startBody(parseHead(this.head.toString('latin1', 0, this.headLength)));
          return p;
        }
      } else if (c !== CR) this.lineRun = 0;
    }
    return p;
  }

  private startBody(head: ResponseHead & { chunked: boolean }): void {
    this.headLength = 0;
    this.lineRun = 0;
    // An interim response (100 Continue, 103 Early Hints): the real one follows.
    if (head.status >= 100 && head.status < 200) return;
    this.sink.head(head);
    if (head.status !== 200) this.state = State.Done;
    else if (head.chunked) this.state = State.ChunkSize;
    else if (!Number.isNaN(head.contentLength)) {
      this.left = head.contentLength;
      this.state = this.left === 0 ? State.Done : State.Length;
    } else this.state = State.UntilClose;
  }

  /** One byte of a chunk-size line, the CRLF after a chunk's data, or the trailers. */
  private readChunkFraming(c: number, p: number): number {
    switch (this.state) {
      case State.ChunkSize: {
        const digit = hexDigit(c);
        if (digit >= 0) {
          if (++this.chunkDigits > 12) throw new HttpProtocolError('chunk size too large');
          this.left = this.left * 16 + digit;
        } else if (c === SEMICOLON && this.chunkDigits > 0) this.state = State.ChunkExtension;
        else if (c === LF && this.chunkDigits > 0) this.endChunkSize();
        else if (c !== CR || this.chunkDigits === 0) throw new HttpProtocolError('malformed chunk size');
        break;
      }
      case State.ChunkExtension:
        if (c === LF) this.endChunkSize();
        break;
      case State.ChunkDataEnd:
        if (c === LF) this.state = State.ChunkSize;
        else if (c !== CR) throw new HttpProtocolError('missing line end after a chunk');
        break;
      case State.Trailers:
        if (c === LF) {
          if (this.lineRun === 0) this.state = State.Done;
          this.lineRun = 0;
        } else if (c !== CR) this.lineRun++;
        break;
    }
    return p + 1;
  }

  private endChunkSize(): void {
    this.chunkDigits = 0;
    this.state = this.left === 0 ? State.Trailers : State.ChunkData;
    this.lineRun = 0;
  }
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const lower = c | 0x20;
  if (lower >= 0x61 && lower <= 0x66) return lower - 0x61 + 10;
  return -1;
}

/** The status line and the headers a scrape reads; throws {@link HttpProtocolError} when malformed. */
function parseHead(text: string): ResponseHead & { chunked: boolean } {
  const lines = text.split('\n');
  const status = /^HTTP\/1\.([01]) (\d{3})(?:[ \r]|$)/.exec(lines[0]!);
  if (status === null) throw new HttpProtocolError(`malformed HTTP status line ${JSON.stringify(lines[0]!.trimEnd().slice(0, 40))}`);
  const head = { status: Number(status[2]), contentType: undefined as string | undefined, contentEncoding: '', contentLength: NaN, keepAlive: status[1] === '1', chunked: false };
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HttpProtocolError(`malformed HTTP header line ${JSON.stringify(line.slice(0, 40))}`);
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (!/^\d{1,15}$/.test(value) || (!Number.isNaN(head.contentLength) && head.contentLength !== Number(value))) throw new HttpProtocolError(`invalid Content-Length ${JSON.stringify(value)}`);
      head.contentLength = Number(value);
    } else if (name === 'transfer-encoding') {
      head.chunked = value.toLowerCase().split(',').at(-1)!.trim() === 'chunked';
      if (!head.chunked) head.keepAlive = false;
    } else if (name === 'content-encoding') head.contentEncoding = value.toLowerCase();
    else if (name === 'content-type') head.contentType ??= value;
    else if (name === 'connection') {
      const tokens = value.toLowerCase().split(',').map((t) => t.trim());
      if (tokens.includes('close')) head.keepAlive = false;
      else if (tokens.includes('keep-alive')) head.keepAlive = true;
    }
  }
  // Chunked framing wins over a Content-Length (RFC 9112, 6.3); without either, the body ends with the connection.
  if (head.chunked) head.contentLength = NaN;
  else if (Number.isNaN(head.contentLength)) head.keepAlive = false;
  return head;
}
