import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Alertmanager } from '../alertmanager.js';
import type { Clock } from '../clock.js';
import { AlertmanagerError } from '../errors.js';
import { Matcher } from '../labels/matcher.js';
import { compileRegex } from '../labels/regex.js';
import type { SilenceInput } from '../silences/silences.js';
import { fromMillis } from '../time/instant.js';
import { BodyReader, readJsonBody, RequestRejected } from './body.js';
import { gettableSilenceJson, sortSilences } from './models.js';
import { filterParam, type Query } from './params.js';
import { ApiErrorCode, sendEmpty, sendJson, sendMessage } from './respond.js';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** A `silenceID` path parameter; not a UUID is a 422 as go-openapi answers. */
export function silenceIdParam(id: string): string {
  if (!UUID.test(id)) throw new RequestRejected(ApiErrorCode.InvalidType, `silenceID in path must be of type uuid: ${JSON.stringify(id)}`);
  return id;
}

/** The silences part of the API. */
export class SilencesApi {
  constructor(private readonly am: Alertmanager, private readonly clock: Clock) {}

  /** `GET /silences`: those with a matcher equal to each `filter`, in upstream's order. */
  list(query: Query, res: ServerResponse): void {
    const filters = filterParam(query, this.am.config.parser);
    const now = fromMillis(this.clock.now());
    const list = this.am.silences.query().silences.filter((s) => filters.every((f) => s.matchers.some((m) => m.equals(f))));
    sendJson(res, 200, `[${sortSilences(list, now).map((s) => gettableSilenceJson(s, now)).join(',')}]`);
  }

  get(id: string, res: ServerResponse): void {
    const s = this.am.silences.get(silenceIdParam(id));
    if (s === undefined) return sendEmpty(res, 404);
    sendJson(res, 200, gettableSilenceJson(s, fromMillis(this.clock.now())));
  }

  /** `DELETE /silence/{id}`: expires it; 404 when unknown (0.28; 0.25 answered 500). */
  async delete(id: string, res: ServerResponse): Promise<void> {
    try {
      await this.am.silences.expire(silenceIdParam(id));
    } catch (err) {
      if (err instanceof AlertmanagerError && err.code === 'not_found') return sendEmpty(res, 404);
      throw err;
    }
    sendEmpty(res, 200);
  }

  /** `POST /silences`: creates, or with `id` updates; answers `{"silenceID": …}`. */
  async post(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const input = parsePostableSilence(await readJsonBody(req, 'silence'));
    if (input.startsAt >= input.endsAt) return sendMessage(res, 400, 'Failed to create silence: start time must be before end time');
    if (input.endsAt < fromMillis(this.clock.now())) return sendMessage(res, 400, "Failed to create silence: end time can't be in the past");
    let id: string;
    try {
      id = await this.am.silences.set(input);
    } catch (err) {
      if (!(err instanceof AlertmanagerError)) throw err;
      return sendMessage(res, err.code === 'not_found' ? 404 : 400, err.message);
    }
    sendJson(res, 200, `{"silenceID":${JSON.stringify(id)}}`);
  }
}

/** Reads `postableSilence` with go-openapi's checks, in its order (id, then the silence's fields by name). */
function parsePostableSilence(body: unknown): SilenceInput {
  const r = new BodyReader('silence');
  const o = r.object(body, 'models.PostableSilence');
  const id = r.string(o['id'], 'PostableSilence.id') ?? '';
  const comment = r.required(r.string(o['comment'], 'Silence.comment'), 'comment');
  const createdBy = r.required(r.string(o['createdBy'], 'Silence.createdBy'), 'createdBy');
  r.required(o['endsAt'], 'endsAt');
  const endsAt = r.dateTime(o['endsAt'], 'Silence.endsAt');
  const rawMatchers = r.array(r.required(o['matchers'], 'matchers'), 'models.Matchers');
  if (rawMatchers.length === 0) throw new RequestRejected(ApiErrorCode.TooFewItems, 'matchers in body should have at least 1 items');
  const matchers = rawMatchers.map((item, i) => {
    const m = r.object(item, 'models.Matcher');
    const isEqual = r.bool(m['isEqual'], 'Matcher.matchers.isEqual') ?? true;
    const isRegex = r.required(r.bool(m['isRegex'], 'Matcher.matchers.isRegex'), `matchers.${i}.isRegex`);
    const name = r.required(r.string(m['name'], 'Matcher.matchers.name'), `matchers.${i}.name`);
    const value = r.required(r.string(m['value'], 'Matcher.matchers.value'), `matchers.${i}.value`);
    try {
      return Matcher.fromApi(name, value, isRegex, isEqual);
    } catch (err) {
      // A regex that does not compile: the silence validation names it (400), with the message
      // of the pattern as written, as upstream's check compiles it unanchored.
      let message = (err as Error).message;
      try {
        compileRegex(value);
      } catch (plain) {
        message = (plain as Error).message;
      }
      throw new AlertmanagerError('invalid_silence', `invalid silence: invalid label matcher ${i}: invalid regular expression ${JSON.stringify(value)}: ${message}`);
    }
  });
  r.required(o['startsAt'], 'startsAt');
  const startsAt = r.dateTime(o['startsAt'], 'Silence.startsAt');
  return { id, matchers, startsAt, endsAt, createdBy, comment };
}
