import type { IncomingMessage } from 'node:http';
import { ApiError, ErrorType } from '@pyrometer/http-api';

/** Largest request body any handler reads, unless a handler sets its own limit. */
export const DEFAULT_BODY_LIMIT = 32 * 1024 * 1024;

/**
 * Reads the whole request body, refusing more than `limit` bytes with a bad_data error naming
 * the limit (the connection is not read further).
 */
export async function readBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new ApiError(ErrorType.BadData, `request body of ${declared} bytes exceeds the limit of ${limit} bytes`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ApiError(ErrorType.BadData, `request body exceeds the limit of ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** The body of a POST/PUT with `application/x-www-form-urlencoded` (read up to `limit`), else undefined. */
export async function readFormBody(req: IncomingMessage, limit = DEFAULT_BODY_LIMIT): Promise<Buffer | undefined> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if ((req.method !== 'POST' && req.method !== 'PUT') || type !== 'application/x-www-form-urlencoded') return undefined;
  return readBody(req, limit);
}

/**
 * Request parameters as Go's `r.FormValue`/`r.Form` see them: the URL query plus, for POST/PUT
 * with `application/x-www-form-urlencoded`, the body; body values come first, so they win.
 */
export class FormParams {
  private constructor(private readonly values: Map<string, string[]>) {}

  static async read(req: IncomingMessage, url: URL): Promise<FormParams> {
    const body = await readFormBody(req);
    return FormParams.fromParts(url.search, body === undefined ? undefined : body.toString('utf8'));
  }

  /** The parameters of a URL query string (`?` optional) and an optional urlencoded body. */
  static fromParts(search: string, body: string | undefined): FormParams {
    const values = new Map<string, string[]>();
    if (body !== undefined) addAll(values, new URLSearchParams(body));
    addAll(values, new URLSearchParams(search));
    return new FormParams(values);
  }

  /** The first value of `name`, or undefined. */
  get(name: string): string | undefined {
    return this.values.get(name)?.[0];
  }

  /** Every value of `name` (e.g. `match[]`). */
  getAll(name: string): string[] {
    return this.values.get(name) ?? [];
  }

  has(name: string): boolean {
    return this.values.has(name);
  }
}

function addAll(into: Map<string, string[]>, params: URLSearchParams): void {
  for (const [k, v] of params) {
    const list = into.get(k);
    if (list) list.push(v);
    else into.set(k, [v]);
  }
}
