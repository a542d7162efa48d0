import { Labels } from '@pyrometer/model';
import { formatRfc3339Nano, parseRfc3339 } from '../time/instant.js';
import { newAlert, type Alert } from './alert.js';

/** An alert as the alerts file and the Redis state write it: times in RFC 3339 with nanoseconds. */
export interface AlertJson {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  updatedAt: string;
  timeout: boolean;
}

export function alertToJson(a: Alert): AlertJson {
  return {
    labels: a.labels.toRecord(),
    annotations: { ...a.annotations },
    startsAt: formatRfc3339Nano(a.startsAt),
    endsAt: formatRfc3339Nano(a.endsAt),
    generatorURL: a.generatorURL,
    updatedAt: formatRfc3339Nano(a.updatedAt),
    timeout: a.timeout,
  };
}

/** Reads an alert back; throws naming the bad field. */
export function alertFromJson(a: AlertJson): Alert {
  const time = (field: 'startsAt' | 'endsAt' | 'updatedAt') => {
    const t = typeof a[field] === 'string' ? parseRfc3339(a[field]) : undefined;
    if (t === undefined) throw new Error(`bad ${field} ${JSON.stringify(a[field])}`);
    return t;
  };
  if (typeof a.labels !== 'object' || a.labels === null) throw new Error('an alert without labels');
  return newAlert({ labels: Labels.from(a.labels), annotations: a.annotations ?? {}, startsAt: time('startsAt'), endsAt: time('endsAt'), generatorURL: a.generatorURL ?? '', updatedAt: time('updatedAt'), timeout: a.timeout === true });
}
