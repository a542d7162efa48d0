import { Matcher, MatchType } from '@pyrometer/model';
import { PushgatewayError } from '../errors.js';

const MATCHER = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*(?:,|$)/;

/**
 * Parses a label selector `{name="v", name=~"re", …}` (the label-matcher part of a PromQL series
 * selector; metric names are not allowed since groups have none). Throws a `bad_request` error
 * naming the selector and the position of the problem.
 */
export function parseGroupSelector(selector: string): Matcher[] {
  const trimmed = selector.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) throw new PushgatewayError('bad_request', `invalid selector ${JSON.stringify(selector)}: expected {label="value", …}`);
  let rest = trimmed.slice(1, -1);
  const matchers: Matcher[] = [];
  while (rest.trim() !== '') {
    const m = MATCHER.exec(rest);
    if (m === null) throw new PushgatewayError('bad_request', `invalid selector ${JSON.stringify(selector)}: cannot parse a matcher at ${JSON.stringify(rest.trim())}`);
    const [, name, op, quoted] = m as unknown as [string, string, string, string];
    let value: string;
    try {
      value = JSON.parse(`"${quoted}"`) as string;
    } catch {
      throw new PushgatewayError('bad_request', `invalid selector ${JSON.stringify(selector)}: bad escape in the value of ${name}`);
    }
    const type = op === '=' ? MatchType.Equal : op === '!=' ? MatchType.NotEqual : op === '=~' ? MatchType.Regexp : MatchType.NotRegexp;
    try {
      matchers.push(new Matcher(type, name, value));
    } catch (err) {
      throw new PushgatewayError('bad_request', `invalid selector ${JSON.stringify(selector)}: ${(err as Error).message}`, { cause: err });
    }
    rest = rest.slice(m[0].length);
  }
  if (matchers.length === 0) throw new PushgatewayError('bad_request', `invalid selector ${JSON.stringify(selector)}: at least one matcher is required`);
  if (matchers.every((m) => m.matchesEmpty())) throw new PushgatewayError('bad_request', `invalid selector ${JSON.stringify(selector)}: at least one matcher must not match the empty string`);
  return matchers;
}
