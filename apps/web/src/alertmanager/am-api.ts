import type { AmAlert, AmAlertGroup, AmMatcher, AmPostableSilence, AmSilence, AmStatus } from '@pyrometer/http-api';
import { jsonApi } from '../shell/api.js';
import { matcherText } from './matchers.js';

/** Which alerts the lists show (the API's `active`, `silenced`, `inhibited` flags). */
export interface AlertFilter {
  matchers: AmMatcher[];
  receiver: string;
  silenced: boolean;
  inhibited: boolean;
  active: boolean;
}

const filterParams = (f: AlertFilter) => ({
  filter: f.matchers.map(matcherText),
  ...(f.receiver !== '' ? { receiver: `^(?:${f.receiver})$` } : {}),
  silenced: String(f.silenced),
  inhibited: String(f.inhibited),
  active: String(f.active),
});

export const alertGroups = (f: AlertFilter) => jsonApi<AmAlertGroup[]>('api/v2/alerts/groups', { params: filterParams(f) });
export const alerts = (f: AlertFilter) => jsonApi<AmAlert[]>('api/v2/alerts', { params: filterParams(f) });
export const silences = () => jsonApi<AmSilence[]>('api/v2/silences');
export const silence = (id: string) => jsonApi<AmSilence>(`api/v2/silence/${encodeURIComponent(id)}`);
export const expireSilence = (id: string) => jsonApi<unknown>(`api/v2/silence/${encodeURIComponent(id)}`, { method: 'DELETE' });
export const postSilence = (s: AmPostableSilence) => jsonApi<{ silenceID: string }>('api/v2/silences', { method: 'POST', body: JSON.stringify(s) });
export const receivers = () => jsonApi<{ name: string }[]>('api/v2/receivers');
export const status = () => jsonApi<AmStatus>('api/v2/status');

/** Every alert (active, silenced and inhibited) matching the matchers: what a silence with them would mute. */
export const alertsMatching = (matchers: AmMatcher[]) => alerts({ matchers, receiver: '', silenced: true, inhibited: true, active: true });
