import type { AlertingRule, AlertState, RulesData } from '@pyrometer/http-api';
import { useState } from 'react';
import { Link } from 'react-router';
import { promData } from '../shell/api.js';
import { Collapsible, FilterInput, LabelBadges, Loaded, StateBadge, ToggleGroup } from '../shell/components.js';
import { parseApiTime, relativeTime } from '../shell/format.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';
import { queryLink } from './query/url-state.js';

const STATES: readonly AlertState[] = ['inactive', 'pending', 'firing'];

/** Alerts: every alerting rule (`/rules?type=alert`) with its state and its active alerts, filtered by state and text. */
export function AlertsPage() {
  const state = useFetch(() => promData<RulesData>('api/v1/rules', { type: 'alert' }), 'alerts', 15_000);
  const [filter, setFilter] = useState('');
  const [states, setStates] = useState<Set<AlertState>>(new Set());
  const keep = (r: AlertingRule) =>
    (states.size === 0 || states.has(r.state)) && (filter === '' || `${r.name} ${JSON.stringify(r.labels ?? {})} ${JSON.stringify(r.alerts ?? [])}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <>
      <PageHeader title="Alerts">
        <ToggleGroup options={STATES} selected={states} onChange={setStates} />
        <FilterInput value={filter} onChange={setFilter} placeholder="Filter by alert name or labels" />
      </PageHeader>
      <Loaded state={state}>
        {(d) => {
          const groups = d.groups.map((g) => ({ ...g, rules: g.rules.filter((r): r is AlertingRule => r.type === 'alerting') })).filter((g) => g.rules.length > 0);
          if (groups.length === 0) return <p className="muted">No alerting rules are loaded.</p>;
          const count = (s: AlertState) => groups.reduce((n, g) => n + g.rules.filter((r) => r.state === s).length, 0);
          return (
            <>
              <p className="muted">
                {count('firing')} firing · {count('pending')} pending · {count('inactive')} inactive
              </p>
              {groups.map((g) => (
                <div key={`${g.file}/${g.name}`}>
                  <h2>
                    {g.name} <span className="muted mono">{g.file}</span>
                  </h2>
                  {g.rules.filter(keep).map((r) => (
                    // Keyed by state too: a rule that starts firing opens, whatever it showed before.
                    <AlertRule key={`${r.name}/${r.query}/${r.state}`} rule={r} />
                  ))}
                </div>
              ))}
            </>
          );
        }}
      </Loaded>
    </>
  );
}

function AlertRule({ rule: r }: { rule: AlertingRule }) {
  const alerts = r.alerts ?? [];
  return (
    <Collapsible
      defaultOpen={r.state !== 'inactive'}
      title={
        <>
          <StateBadge state={r.state} />
          <span>{r.name}</span>
          {alerts.length > 0 && <span className="muted">({alerts.length} active)</span>}
        </>
      }
    >
      <pre>
        {`alert: ${r.name}\nexpr: `}
        <Link to={queryLink(r.query)}>{r.query}</Link>
        {r.duration > 0 ? `\nfor: ${r.duration}s` : ''}
        {r.keepFiringFor ? `\nkeep_firing_for: ${r.keepFiringFor}s` : ''}
        {r.labels && Object.keys(r.labels).length > 0 ? `\nlabels:\n${Object.entries(r.labels).map(([k, v]) => `  ${k}: ${v}`).join('\n')}` : ''}
        {Object.keys(r.annotations).length > 0 ? `\nannotations:\n${Object.entries(r.annotations).map(([k, v]) => `  ${k}: ${v}`).join('\n')}` : ''}
      </pre>
      {r.lastError && <div className="error-text mono">{r.lastError}</div>}
      {alerts.length > 0 && (
        <table className="table">
          <thead>
            <tr>
              <th>Labels</th>
              <th>State</th>
              <th>Active since</th>
              <th className="num">Value</th>
            </tr>
          </thead>
          <tbody>
            {alerts.map((a) => (
              <tr key={JSON.stringify(a.labels)}>
                <td>
                  <LabelBadges labels={a.labels} />
                  {Object.entries(a.annotations).map(([k, v]) => (
                    <div key={k} className="muted">
                      <strong>{k}:</strong> {v}
                    </div>
                  ))}
                </td>
                <td>
                  <StateBadge state={a.state} />
                </td>
                <td>{a.activeAt ? relativeTime(parseApiTime(a.activeAt)) : ''}</td>
                <td className="num mono">{a.value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Collapsible>
  );
}
