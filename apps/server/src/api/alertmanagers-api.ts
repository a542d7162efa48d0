import { jsonString } from '@pyrometer/http-api';
import type { Notifier } from '@pyrometer/notifier';
import type { ApiResult } from './respond.js';

/** GET /api/v1/alertmanagers: `{activeAlertmanagers:[{url}],droppedAlertmanagers:[{url}]}`, empty lists as `[]`. */
export function alertmanagersData(notifier: Pick<Notifier, 'alertmanagers' | 'droppedAlertmanagers'>): ApiResult {
  const list = (urls: string[]): string => `[${urls.map((url) => `{"url":${jsonString(url)}}`).join(',')}]`;
  return { data: `{"activeAlertmanagers":${list(notifier.alertmanagers())},"droppedAlertmanagers":${list(notifier.droppedAlertmanagers())}}` };
}
