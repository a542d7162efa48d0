import type { BuildInfoData, RuntimeInfoData } from '@pyrometer/http-api';
import { promData } from '../shell/api.js';
import { KeyValueTable, Loaded } from '../shell/components.js';
import { parseApiTime, relativeTime } from '../shell/format.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';

const timeCell = (text: string) => `${text} (${relativeTime(parseApiTime(text))})`;

/** Status → Runtime & build information (`/status/runtimeinfo`, `/status/buildinfo`). */
export function RuntimeInfoPage() {
  const runtime = useFetch(() => promData<RuntimeInfoData>('api/v1/status/runtimeinfo'), 'runtime', 15_000);
  const build = useFetch(() => promData<BuildInfoData>('api/v1/status/buildinfo'), 'build');
  return (
    <>
      <PageHeader title="Runtime & build information" />
      <h2>Runtime information</h2>
      <Loaded state={runtime}>
        {(r) => (
          <KeyValueTable
            rows={[
              ['Start time', timeCell(r.startTime)],
              ['Working directory', r.CWD],
              ['Hostname', r.hostname ?? ''],
              ['Server time', r.serverTime ?? ''],
              ['Configuration reload', r.reloadConfigSuccess ? 'Successful' : <span className="error-text">Unsuccessful</span>],
              ['Last successful configuration reload', timeCell(r.lastConfigTime)],
              ['WAL corruptions', String(r.corruptionCount)],
              ['Storage retention', r.storageRetention],
            ]}
          />
        )}
      </Loaded>
      <h2>Build information</h2>
      <Loaded state={build}>{(b) => <KeyValueTable rows={Object.entries(b).map(([k, v]) => [k, String(v)] as const)} />}</Loaded>
    </>
  );
}
