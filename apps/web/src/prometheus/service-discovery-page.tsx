import type { TargetsData } from '@pyrometer/http-api';
import { useState } from 'react';
import { promData } from '../shell/api.js';
import { Collapsible, FilterInput, LabelBadges, Loaded } from '../shell/components.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';

/** Status → Service discovery: per pool, every discovered target's labels before and after relabeling, dropped ones included. */
export function ServiceDiscoveryPage() {
  const state = useFetch(() => promData<TargetsData>('api/v1/targets', { state: 'any' }), 'sd', 15_000);
  const [filter, setFilter] = useState('');
  const matches = (labels: object) => filter === '' || JSON.stringify(labels).toLowerCase().includes(filter.toLowerCase());
  return (
    <>
      <PageHeader title="Service discovery">
        <FilterInput value={filter} onChange={setFilter} placeholder="Filter by labels" />
      </PageHeader>
      <Loaded state={state}>
        {(d) => {
          const pools = [...new Set([...d.activeTargets.map((t) => t.scrapePool), ...Object.keys(d.droppedTargetCounts)])].sort();
          return pools.map((pool) => {
            const active = d.activeTargets.filter((t) => t.scrapePool === pool);
            const dropped = d.droppedTargets.filter((t) => (t.scrapePool ?? '') === pool);
            return (
              <Collapsible key={pool} title={<><span>{pool}</span><span className="muted">({active.length} active / {active.length + (d.droppedTargetCounts[pool] ?? dropped.length)} total)</span></>}>
                <table className="table">
                  <thead>
                    <tr>
                      <th>Discovered labels</th>
                      <th>Target labels</th>
                    </tr>
                  </thead>
                  <tbody>
                    {active.filter((t) => matches(t.discoveredLabels)).map((t, i) => (
                      <tr key={`a${i}`}>
                        <td><LabelBadges labels={t.discoveredLabels} /></td>
                        <td><LabelBadges labels={t.labels} /></td>
                      </tr>
                    ))}
                    {dropped.filter((t) => matches(t.discoveredLabels)).map((t, i) => (
                      <tr key={`d${i}`}>
                        <td><LabelBadges labels={t.discoveredLabels} /></td>
                        <td><span className="badge badge-muted">DROPPED</span></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </Collapsible>
            );
          });
        }}
      </Loaded>
    </>
  );
}
