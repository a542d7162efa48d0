// Types of the Alertmanager API v2 (shared/reference/alertmanager-openapi-v0.28.1.yaml) that
// the UI reads and writes. Times are RFC 3339 strings.

export interface AmMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  /** Absent means true (`=`/`=~`); false is `!=`/`!~`. */
  isEqual?: boolean;
}

export type AmAlertState = 'unprocessed' | 'active' | 'suppressed';

export interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  updatedAt: string;
  generatorURL?: string;
  fingerprint: string;
  receivers: { name: string }[];
  status: { state: AmAlertState; silencedBy: string[]; inhibitedBy: string[]; mutedBy?: string[] };
}

/** `GET /api/v2/alerts/groups`: alerts as the routing tree groups them. */
export interface AmAlertGroup {
  labels: Record<string, string>;
  receiver: { name: string };
  alerts: AmAlert[];
}

export type AmSilenceState = 'expired' | 'active' | 'pending';

/** A silence as `POST /api/v2/silences` takes it (`id` set to update one). */
export interface AmPostableSilence {
  id?: string;
  matchers: AmMatcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
}

export interface AmSilence extends AmPostableSilence {
  id: string;
  status: { state: AmSilenceState };
  updatedAt: string;
}

/** `GET /api/v2/status`. */
export interface AmStatus {
  cluster: { name?: string; status: string; peers?: { name: string; address: string }[] };
  versionInfo: Record<string, string>;
  config: { original: string };
  uptime: string;
}
