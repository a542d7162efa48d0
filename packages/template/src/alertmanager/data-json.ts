import { jsonString } from '../common/go-json.js';
import type { Alert, KV, TemplateData } from './data.js';

function kvJSON(kv: KV): string {
  let out = '{';
  for (const name of kv.sortedKeys()) out += `${out.length > 1 ? ',' : ''}${jsonString(name)}:${jsonString(kv.get(name)!)}`;
  return `${out}}`;
}

function alertJSON(a: Alert): string {
  return `{"status":"${a.Status}","labels":${kvJSON(a.Labels)},"annotations":${kvJSON(a.Annotations)},"startsAt":${jsonString(a.StartsAt.toJSON())},"endsAt":${jsonString(a.EndsAt.toJSON())},"generatorURL":${jsonString(a.GeneratorURL)},"fingerprint":${jsonString(a.Fingerprint)}}`;
}

/**
 * The same bytes as `marshalJSON(data)` (Go's encoding of `template.Data`: upstream's field order,
 * sorted label names, HTML-safe escaping), written field by field: the webhook body embeds it in
 * every notification, and the general encoder's reflection over the data (toJSON objects, entry
 * lists, type checks per value) was most of a notification's template cost.
 */
export function templateDataJSON(data: TemplateData): string {
  let alerts = '';
  for (const a of data.Alerts) alerts += `${alerts === '' ? '' : ','}${alertJSON(a)}`;
  return `{"receiver":${jsonString(data.Receiver)},"status":"${data.Status}","alerts":[${alerts}],"groupLabels":${kvJSON(data.GroupLabels)},"commonLabels":${kvJSON(data.CommonLabels)},"commonAnnotations":${kvJSON(data.CommonAnnotations)},"externalURL":${jsonString(data.ExternalURL)}}`;
}
