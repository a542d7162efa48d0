import { appUrl } from '../shell/base-path.js';
import { ApiRequestError, promData } from '../shell/api.js';

/** One metric of a family in `GET /api/v1/metrics` (values as Go's fmt prints them). */
export interface PushedMetric {
  labels: Record<string, string>;
  value?: string;
  count?: string;
  sum?: string;
  quantiles?: Record<string, string>;
  buckets?: Record<string, string>;
}

export interface PushedFamily {
  time_stamp: string;
  type: string;
  help?: string;
  metrics: PushedMetric[];
}

/** A group: its grouping labels, whether the last push succeeded, and its families by name. */
export type PushedGroup = { labels: Record<string, string>; last_push_successful: boolean } & Record<string, unknown>;

export interface PushgatewayStatus {
  flags: Record<string, string>;
  start_time: string;
  build_information: Record<string, string>;
}

/** The families of a group (every key but `labels` and `last_push_successful`), sorted by name. */
export function families(group: PushedGroup): [string, PushedFamily][] {
  return Object.entries(group)
    .filter(([k]) => k !== 'labels' && k !== 'last_push_successful')
    .map(([k, v]) => [k, v as PushedFamily] as [string, PushedFamily])
    .sort(([a], [b]) => a.localeCompare(b));
}

/** `push_time_seconds` (or `push_failure_time_seconds`) of a group, in ms. */
export function pushTimeMs(group: PushedGroup, name: 'push_time_seconds' | 'push_failure_time_seconds'): number {
  const family = group[name] as PushedFamily | undefined;
  return Number(family?.metrics[0]?.value ?? 0) * 1000;
}

export const fetchGroups = () => promData<PushedGroup[]>('api/v1/metrics');
export const fetchStatus = () => promData<PushgatewayStatus>('api/v1/status');

/** A grouping-key path segment pair; values with `/` or empty ones go base64url-encoded, as clients write them. */
function segment(name: string, value: string): string {
  if (value === '' || value.includes('/')) {
    const b64 = btoa(String.fromCharCode(...new TextEncoder().encode(value))).replace(/\+/g, '-').replace(/\//g, '_');
    return `${name}@base64/${b64 === '' ? '=' : b64}`;
  }
  return `${name}/${encodeURIComponent(value)}`;
}

/** Deletes a group: `DELETE /metrics/job/<job>{/<label>/<value>}` (upstream's UI does the same). */
export async function deleteGroup(labels: Record<string, string>): Promise<void> {
  const rest = Object.entries(labels).filter(([k]) => k !== 'job').map(([k, v]) => `/${segment(k, v)}`).join('');
  const res = await fetch(appUrl(`metrics/${segment('job', labels['job'] ?? '')}${rest}`), { method: 'DELETE' });
  if (!res.ok) throw new ApiRequestError(`${res.status}: ${(await res.text()).trim()}`, res.status);
}

/** Deletes every group matching a selector (beyond upstream: `--web.enable-delete-by-matchers`); answers how many. */
export async function deleteMatching(selector: string): Promise<number> {
  const res = await fetch(`${appUrl('api/v1/groups')}?${new URLSearchParams({ 'match[]': selector }).toString()}`, { method: 'DELETE' });
  const body = (await res.json()) as { status: string; data?: { deleted: number }; error?: string };
  if (body.status !== 'success') throw new ApiRequestError(body.error ?? `HTTP ${res.status}`, res.status);
  return body.data?.deleted ?? 0;
}
