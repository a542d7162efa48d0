import type { IncomingMessage, ServerResponse } from 'node:http';
import { resolvedAt, type Alert } from '../alerts/alert.js';
import { acceptAlerts, type PostedAlert } from '../alerts/ingest.js';
import type { Alertmanager } from '../alertmanager.js';
import type { Clock } from '../clock.js';
import type { Matcher } from '../labels/matcher.js';
import { fromMillis } from '../time/instant.js';
import { BodyReader, readJsonBody, RequestRejected } from './body.js';
import { gettableAlertJson, recordJson } from './models.js';
import { boolParam, filterParam, matchesFilter, receiverParam, type Query } from './params.js';
import { ApiErrorCode, sendEmpty, sendJson, sendMessage } from './respond.js';

/** Counts posted alerts: `alertmanager_alerts_received_total{status}` and `alertmanager_alerts_invalid_total`. */
export interface AlertsApiMetrics {
  received(status: 'firing' | 'resolved', count: number): void;
  invalid(count: number): void;
}

/** The alerts part of the API: list, post, and aggregation groups. */
export class AlertsApi {
  constructor(private readonly am: Alertmanager, private readonly clock: Clock, private readonly metrics: AlertsApiMetrics) {}

  /** `GET /alerts`: sorted by fingerprint, with each alert's receivers and marks. */
  list(q: Query, res: ServerResponse): void {
    const filters = filterParam(q, this.am.config.parser);
    const receiver = receiverParam(q);
    const keep = this.alertFilter(filters, boolParam(q, 'silenced'), boolParam(q, 'inhibited'), boolParam(q, 'active'), boolParam(q, 'unprocessed'));
    const route = this.am.route;
    const out: { fp: string; json: string }[] = [];
    for (const a of this.am.provider.list()) {
      const receivers = route.match(a.labels).map((r) => r.opts.receiver);
      if (receiver !== undefined && !receivers.some((r) => receiver.test(r))) continue;
      if (!keep(a)) continue;
      out.push({ fp: a.fingerprint, json: gettableAlertJson(a, this.am.marker.status(a.fingerprint), receivers, []) });
    }
    out.sort((x, y) => (x.fp < y.fp ? -1 : x.fp > y.fp ? 1 : 0));
    sendJson(res, 200, `[${out.map((o) => o.json).join(',')}]`);
  }

  /** `GET /alerts/groups`. */
  groups(q: Query, res: ServerResponse): void {
    const filters = filterParam(q, this.am.config.parser);
    const receiver = receiverParam(q);
    const keep = this.alertFilter(filters, boolParam(q, 'silenced'), boolParam(q, 'inhibited'), boolParam(q, 'active'), true);
    const muted = boolParam(q, 'muted');
    const { groups, receivers } = this.am.dispatcher.alertGroups((r) => receiver === undefined || receiver.test(r.opts.receiver), keep);
    const out: string[] = [];
    for (const g of groups) {
      const mutedBy = this.am.marker.muted(g.routeId, g.groupKey);
      if (!muted && mutedBy.length > 0) continue;
      const alerts = g.alerts.map((a) => gettableAlertJson(a, this.am.marker.status(a.fingerprint), receivers.get(a.fingerprint) ?? [], mutedBy));
      out.push(`{"alerts":[${alerts.join(',')}],"labels":${recordJson(g.labels.toRecord())},"receiver":{"name":${JSON.stringify(g.receiver)}}}`);
    }
    sendJson(res, 200, `[${out.join(',')}]`);
  }

  /** `POST /alerts`: stores the valid alerts; 400 listing the invalid ones if any. */
  async post(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const posted = parsePostableAlerts(await readJsonBody(req, 'alerts'));
    const now = fromMillis(this.clock.now());
    const result = acceptAlerts(posted, now, this.am.config.config.global.resolveTimeout, this.am.config.parser.isValidLabelName);
    this.metrics.received('firing', result.firing);
    this.metrics.received('resolved', result.resolved);
    this.metrics.invalid(result.errors.length);
    await this.am.provider.put(result.alerts);
    if (result.errors.length > 0) return sendMessage(res, 400, result.errors.join('; '));
    sendEmpty(res, 200);
  }

  private alertFilter(matchers: readonly Matcher[], silenced: boolean, inhibited: boolean, active: boolean, unprocessed: boolean): (a: Alert) => boolean {
    const now = fromMillis(this.clock.now());
    return (a) => {
      if (resolvedAt(a, now) && a.endsAt < now) return false;
      this.am.refreshStatus(a.labels);
      const status = this.am.marker.status(a.fingerprint);
      if (!active && status.state === 'active') return false;
      if (!unprocessed && status.state === 'unprocessed') return false;
      if (!silenced && status.silencedBy.length > 0) return false;
      if (!inhibited && status.inhibitedBy.length > 0) return false;
      return matchesFilter(matchers, a.labels);
    };
  }
}

/** Reads `postableAlerts` with go-openapi's decoding and schema errors. */
function parsePostableAlerts(body: unknown): PostedAlert[] {
  const r = new BodyReader('alerts');
  return r.array(body, 'models.PostableAlerts').map((item, i) => {
    const o = r.object(item, 'models.PostableAlert');
    const annotations = r.labelSet(o['annotations'], 'PostableAlert.annotations') ?? {};
    const endsAt = r.dateTime(o['endsAt'], 'PostableAlert.endsAt');
    const startsAt = r.dateTime(o['startsAt'], 'PostableAlert.startsAt');
    const generatorURL = r.string(o['generatorURL'], 'Alert.generatorURL');
    if (generatorURL !== undefined && !isUri(generatorURL)) throw new RequestRejected(ApiErrorCode.InvalidType, `${i}.generatorURL in body must be of type uri: ${JSON.stringify(generatorURL)}`);
    const labels = r.required(r.labelSet(o['labels'], 'Alert.labels'), `${i}.labels`);
    return { labels, annotations, startsAt, endsAt, generatorURL: generatorURL ?? '' };
  });
}

/** go-openapi's `uri` format (Go's `url.ParseRequestURI`): absolute, or a path from the root, without spaces. */
function isUri(s: string): boolean {
  if (/[\s\x7f]/.test(s)) return false;
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(s) || s.startsWith('/');
}
