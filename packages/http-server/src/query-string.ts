import { decodeUtf8 } from '@pyrometer/codec';
import { percentDecode } from './percent.js';

/**
 * Parses a query string (or an `application/x-www-form-urlencoded` body) as Go's url.ParseQuery,
 * which upstream's handlers see through `r.FormValue`: pairs split on `&`, `+` is a space, and a
 * pair with a malformed escape or a `;` is dropped (Go reports an error the handlers ignore), so
 * `query=%ZZ` is an absent parameter rather than the text "%ZZ". Values keep invalid UTF-8 as
 * lone surrogates, so the PromQL lexer can refuse it as upstream does. Keys keep their order.
 */
export function parseQueryString(query: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  for (const pair of query.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    const key = percentDecode(eq < 0 ? pair : pair.slice(0, eq), true);
    const value = percentDecode(eq < 0 ? '' : pair.slice(eq + 1), true);
    if (key === undefined || value === undefined) continue;
    const list = values.get(key);
    if (list === undefined) values.set(key, [value]);
    else list.push(value);
  }
  return values;
}

/** An `application/x-www-form-urlencoded` body, parsed as {@link parseQueryString} (raw bytes kept as they are). */
export function parseFormBody(body: Uint8Array): Map<string, string[]> {
  return parseQueryString(decodeUtf8(body));
}
