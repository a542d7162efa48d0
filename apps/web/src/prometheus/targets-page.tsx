import type { ActiveTarget, TargetHealth, TargetsData } from '@pyrometer/http-api';
import { useMemo, useState } from 'react';
import { promData } from '../shell/api.js';
import { Collapsible, FilterInput, LabelBadges, Loaded, StateBadge, ToggleGroup } from '../shell/components.js';
import { parseApiTime, relativeTime, secondsText } from '../shell/format.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';
import { RelabelSteps } from './relabel-steps.js';

const HEALTH: readonly TargetHealth[] = ['up', 'down', 'unknown'];

/** Status → Target health (`/targets?state=active`): pools, health, last scrape, duration, error, labels. */
export function TargetsPage() {
  const state = useFetch(() => promData<TargetsData>('api/v1/targets', { state: 'active' }), 'targets', 10_000);
  const [filter, setFilter] = useState('');
  const [health, setHealth] = useState<Set<TargetHealth>>(new Set());
  const pools = useMemo(() => {
    const byPool = new Map<string, ActiveTarget[]>();
    for (const t of state.data?.activeTargets ?? []) {
      if (health.size > 0 && !health.has(t.health)) continue;
      if (filter !== '' && !`${t.scrapeUrl} ${JSON.stringify(t.labels)} ${t.lastError}`.toLowerCase().includes(filter.toLowerCase())) continue;
      byPool.set(t.scrapePool, [...(byPool.get(t.scrapePool) ?? []), t]);
    }
    return byPool;
  }, [state.data, filter, health]);
  const totals = (pool: string) => {
    const all = state.data!.activeTargets.filter((t) => t.scrapePool === pool);
    return `${all.filter((t) => t.health === 'up').length} / ${all.length} up`;
  };
  return (
    <>
      <PageHeader title="Target health">
        <ToggleGroup options={HEALTH} selected={health} onChange={setHealth} />
        <FilterInput value={filter} onChange={setFilter} placeholder="Filter by endpoint, labels or error" />
      </PageHeader>
      <Loaded state={state}>
        {() =>
          pools.size === 0 ? (
            <p className="muted">No targets match.</p>
          ) : (
            [...pools].map(([pool, targets]) => (
              <Collapsible key={pool} title={<><span>{pool}</span><span className="muted">({totals(pool)})</span></>}>
                <TargetTable targets={targets} />
              </Collapsible>
            ))
          )
        }
      </Loaded>
    </>
  );
}

function TargetTable({ targets }: { targets: ActiveTarget[] }) {
  return (
    <table className="table">
      <thead>
        <tr>
          <th>Endpoint</th>
          <th>Labels</th>
          <th>Last scrape</th>
          <th>State</th>
        </tr>
      </thead>
      <tbody>
        {targets.map((t) => (
          <TargetRow key={t.scrapeUrl + JSON.stringify(t.labels)} target={t} />
        ))}
      </tbody>
    </table>
  );
}

function TargetRow({ target: t }: { target: ActiveTarget }) {
  const [showRelabeling, setShowRelabeling] = useState(false);
  return (
    <>
      <tr>
        <td>
          <a href={t.globalUrl} target="_blank" rel="noreferrer" className="mono">
            {t.scrapeUrl}
          </a>
          {t.lastError !== '' && <div className="error-text mono">{t.lastError}</div>}
        </td>
        <td>
          <LabelBadges labels={t.labels} />
          <div>
            <button type="button" className="link-button" onClick={() => setShowRelabeling(!showRelabeling)}>
              {showRelabeling ? 'hide relabeling' : 'show relabeling'}
            </button>
          </div>
        </td>
        <td>
          {relativeTime(parseApiTime(t.lastScrape))}
          <div className="muted">
            {secondsText(t.lastScrapeDuration)} · every {t.scrapeInterval}, timeout {t.scrapeTimeout}
          </div>
        </td>
        <td>
          <StateBadge state={t.health} />
        </td>
      </tr>
      {showRelabeling && (
        <tr>
          <td colSpan={4}>
            <RelabelSteps pool={t.scrapePool} discovered={t.discoveredLabels} />
          </td>
        </tr>
      )}
    </>
  );
}
