import { KeyValueTable, Loaded } from '../shell/components.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';
import { status } from './am-api.js';

/** The Alertmanager's status: uptime, cluster, version, and the configuration in effect. */
export function StatusPage() {
  const state = useFetch(status, 'status', 30_000);
  return (
    <>
      <PageHeader title="Status" />
      <Loaded state={state}>
        {(s) => (
          <>
            <KeyValueTable
              rows={[
                ['Uptime', s.uptime],
                ['Cluster status', s.cluster.status],
                ['Cluster name', s.cluster.name ?? ''],
                ['Peers', (s.cluster.peers ?? []).map((p) => `${p.name} (${p.address})`).join(', ') || 'none'],
              ]}
            />
            <h2>Version information</h2>
            <KeyValueTable rows={Object.entries(s.versionInfo).map(([k, v]) => [k, v] as const)} />
            <h2>Configuration</h2>
            <pre className="config-yaml">{s.config.original}</pre>
          </>
        )}
      </Loaded>
    </>
  );
}
