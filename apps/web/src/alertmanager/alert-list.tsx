import type { AmAlert } from '@pyrometer/http-api';
import { Link } from 'react-router';
import { LabelBadges, StateBadge } from '../shell/components.js';
import { parseApiTime, relativeTime } from '../shell/format.js';
import { selectorText } from './matchers.js';

/** `/silences/new?filter=…` prefilled with an alert's labels (the Alertmanager UI's "Silence" link). */
export function silenceLink(labels: Record<string, string>): string {
  const filter = selectorText(Object.entries(labels).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true })));
  return `/silences/new?${new URLSearchParams({ filter }).toString()}`;
}

/** Alerts with their labels, state, start, annotations, and links to silence them and to their source. */
export function AlertList({ alerts, omit = [] }: { alerts: readonly AmAlert[]; omit?: readonly string[] }) {
  return (
    <table className="table" data-testid="am-alerts">
      <tbody>
        {alerts.map((a) => (
          <tr key={a.fingerprint} data-fingerprint={a.fingerprint} data-state={a.status.state}>
            <td>
              <LabelBadges labels={Object.fromEntries(Object.entries(a.labels).filter(([k]) => !omit.includes(k)))} />
              {Object.entries(a.annotations).map(([k, v]) => (
                <div key={k} className="muted">
                  <strong>{k}:</strong> {v}
                </div>
              ))}
            </td>
            <td style={{ whiteSpace: 'nowrap' }}>
              <StateBadge state={a.status.state} />
              {a.status.silencedBy.length > 0 && <div className="muted">silenced</div>}
              {a.status.inhibitedBy.length > 0 && <div className="muted">inhibited</div>}
            </td>
            <td className="muted" style={{ whiteSpace: 'nowrap' }}>
              since {relativeTime(parseApiTime(a.startsAt))}
            </td>
            <td style={{ whiteSpace: 'nowrap' }}>
              <Link to={silenceLink(a.labels)}>Silence</Link>
              {a.generatorURL && (
                <>
                  {' · '}
                  <a href={a.generatorURL} target="_blank" rel="noreferrer">
                    Source
                  </a>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
