import type { Rule, RulesData } from '@pyrometer/http-api';
import { useState } from 'react';
import { Link } from 'react-router';
import { promData } from '../shell/api.js';
import { Collapsible, FilterInput, LabelBadges, Loaded, StateBadge, ToggleGroup } from '../shell/components.js';
import { parseApiTime, relativeTime, secondsText } from '../shell/format.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';
import { queryLink } from './query/url-state.js';

const HEALTH = ['ok', 'err', 'unknown'] as const;

/** Status → Rule health (`/rules`): groups with their evaluation, each rule's health, last error and evaluation time. */
export function RulesPage() {
  const state = useFetch(() => promData<RulesData>('api/v1/rules'), 'rules', 15_000);
  const [filter, setFilter] = useState('');
  const [health, setHealth] = useState<Set<(typeof HEALTH)[number]>>(new Set());
  const keep = (r: Rule) => (health.size === 0 || health.has(r.health)) && (filter === '' || `${r.name} ${r.query}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <>
      <PageHeader title="Rule health">
        <ToggleGroup options={HEALTH} selected={health} onChange={setHealth} />
        <FilterInput value={filter} onChange={setFilter} placeholder="Filter by rule name or query" />
      </PageHeader>
      <Loaded state={state}>
        {(d) =>
          d.groups.length === 0 ? (
            <p className="muted">No rule groups are loaded (add rule files to the configuration's <code>rule_files</code>).</p>
          ) : (
            d.groups.map((g) => (
              <Collapsible
                key={`${g.file}/${g.name}`}
                title={
                  <>
                    <span>{g.name}</span>
                    <span className="muted mono">{g.file}</span>
                    <span className="muted">
                      every {g.interval}s · last run {relativeTime(parseApiTime(g.lastEvaluation))} · took {secondsText(g.evaluationTime)}
                    </span>
                  </>
                }
              >
                <table className="table">
                  <thead>
                    <tr>
                      <th>Rule</th>
                      <th>Health</th>
                      <th>Last evaluation</th>
                      <th className="num">Evaluation time</th>
                    </tr>
                  </thead>
                  <tbody>
                    {g.rules.filter(keep).map((r) => (
                      <tr key={r.name + r.query}>
                        <td>
                          <div>
                            <strong>{r.type === 'alerting' ? 'alert' : 'record'}:</strong> {r.name}
                          </div>
                          <Link className="mono" to={queryLink(r.query)}>
                            {r.query}
                          </Link>
                          {r.labels && Object.keys(r.labels).length > 0 && <div><LabelBadges labels={r.labels} /></div>}
                          {r.lastError && <div className="error-text mono">{r.lastError}</div>}
                        </td>
                        <td>
                          <StateBadge state={r.health} />
                        </td>
                        <td>{relativeTime(parseApiTime(r.lastEvaluation))}</td>
                        <td className="num">{secondsText(r.evaluationTime)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Collapsible>
            ))
          )
        }
      </Loaded>
    </>
  );
}
