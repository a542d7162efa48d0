import type { IncomingMessage } from 'node:http';
import { parseFormBody, parseQueryString, readBody } from '@pyrometer/http-server';

/** Largest form body the API reads (Go's ParseForm reads at most 10 MB of a form body). */
const FORM_BODY_LIMIT = 10 << 20;

/**
 * The body of a POST/PUT with `application/x-www-form-urlencoded` (up to 10 MB, as Go's ParseForm;
 * more is an HttpError, 413), else undefined.
 */
export async function readFormBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if ((req.method !== 'POST' && req.method !== 'PUT') || type !== 'application/x-www-form-urlencoded') return undefined;
  return readBody(req, FORM_BODY_LIMIT);
}

/**
 * Request parameters as Go's `r.FormValue`/`r.Form` see them: the URL query plus, for POST/PUT
 * with `application/x-www-form-urlencoded`, the body; body values come first, so they win. Both
 * are parsed as Go's url.ParseQuery (a pair with a malformed escape is dropped; invalid UTF-8 stays
 * visible, so the PromQL lexer refuses it). A form body over 10 MB is refused (HttpError, 413).
 */
export class FormParams {
  private constructor(private readonly values: Map<string, string[]>) {}

  static async read(req: IncomingMessage, url: URL): Promise<FormParams> {
    return FormParams.fromParts(url.search, await readFormBody(req));
  }

  /** The parameters of a URL query string (`?` optional) and an optional urlencoded body. */
  static fromParts(search: string, body: Uint8Array | undefined): FormParams {
    const values = new Map<string, string[]>();
    if (body !== undefined) addAll(values, parseFormBody(body));
    addAll(values, parseQueryString(search.startsWith('?') ? search.slice(1) : search));
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

  /** Every parameter with its values, in the order they first appear (body first). */
  entries(): [string, string[]][] {
    return [...this.values];
  }
}

function addAll(into: Map<string, string[]>, params: Map<string, string[]>): void {
  for (const [k, vs] of params) {
    const list = into.get(k);
    if (list) list.push(...vs);
    else into.set(k, [...vs]);
  }
}
