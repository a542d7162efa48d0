import type { IncomingMessage } from 'node:http';
import { parseRfc3339, ZERO_TIME } from '../time/instant.js';
import { ApiErrorCode } from './respond.js';

/** A request that go-openapi would refuse before the handler runs: status/code and message. */
export class RequestRejected extends Error {
  constructor(readonly code: number, message: string, readonly headers: Record<string, string> = {}) {
    super(message);
  }
}

/** Largest body the API reads (upstream has no limit; 32 MiB is far above any real batch). */
const MAX_BODY = 32 * 1024 * 1024;

/**
 * Reads a JSON request body. Like go-openapi: a content type other than `application/json` is
 * 415; an empty body is "required" (422); JSON that does not parse is 400 with the decoder's
 * message, phrased `parsing <param> body from "" failed, because …`.
 */
export async function readJsonBody(req: IncomingMessage, param: string): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') throw new RequestRejected(415, `unsupported media type ${JSON.stringify(type)}, only [application/json] are allowed`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) throw new RequestRejected(413, `request body larger than ${MAX_BODY} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') throw new RequestRejected(ApiErrorCode.Required, `${param} in body is required`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new RequestRejected(400, `parsing ${param} body from "" failed, because ${(err as Error).message}`);
  }
}

const decodeFailure = (param: string, what: string) => new RequestRejected(400, `parsing ${param} body from "" failed, because json: ${what}`);

const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v === 'object' ? 'object' : typeof v);

/** Field readers that fail like Go's JSON decoder (400) and go-openapi's schema checks (422). */
export class BodyReader {
  constructor(private readonly param: string) {}

  object(v: unknown, goType: string): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw decodeFailure(this.param, `cannot unmarshal ${kind(v)} into Go value of type ${goType}`);
    return v as Record<string, unknown>;
  }

  array(v: unknown, goType: string): unknown[] {
    if (!Array.isArray(v)) throw decodeFailure(this.param, `cannot unmarshal ${kind(v)} into Go value of type ${goType}`);
    return v;
  }

  required<T>(v: T | undefined | null, path: string): T {
    if (v === undefined || v === null) throw new RequestRejected(ApiErrorCode.Required, `${path} in body is required`);
    return v;
  }

  string(v: unknown, field: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') throw decodeFailure(this.param, `cannot unmarshal ${kind(v)} into Go struct field ${field} of type string`);
    return v;
  }

  bool(v: unknown, field: string): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'boolean') throw decodeFailure(this.param, `cannot unmarshal ${kind(v)} into Go struct field ${field} of type bool`);
    return v;
  }

  labelSet(v: unknown, field: string): Record<string, string> | undefined {
    if (v === undefined || v === null) return undefined;
    const o = this.object(v, 'models.LabelSet');
    for (const value of Object.values(o)) if (typeof value !== 'string') throw decodeFailure(this.param, `cannot unmarshal ${kind(value)} into Go struct field ${field} of type string`);
    return o as Record<string, string>;
  }

  /** A `strfmt.DateTime`: RFC 3339; absent is the zero time. */
  dateTime(v: unknown, field: string): bigint {
    const s = this.string(v, field);
    if (s === undefined || s === '') return ZERO_TIME;
    const t = parseRfc3339(s);
    if (t === undefined) throw new RequestRejected(400, `parsing ${this.param} body from "" failed, because parsing time ${JSON.stringify(s)}: not an RFC 3339 date-time`);
    return t;
  }
}
