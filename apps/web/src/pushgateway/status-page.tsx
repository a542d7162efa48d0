import { KeyValueTable, Loaded } from '../shell/components.js';
import { relativeTime } from '../shell/format.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';
import { fetchStatus } from './pushgateway-api.js';

/** The Pushgateway's status: start time, build information, flags (`/api/v1/status`). */
export function StatusPage() {
  const status = useFetch(fetchStatus, 'status');
  return (
    <>
      <PageHeader title="Status" />
      <Loaded state={status}>
        {(s) => (
          <>
            <KeyValueTable rows={[['Start time', `${s.start_time} (${relativeTime(Date.parse(s.start_time))})`]]} />
            <h2>Build information</h2>
            <KeyValueTable rows={Object.entries(s.build_information).map(([k, v]) => [k, v] as const)} />
            <h2>Command-line flags</h2>
            <KeyValueTable rows={Object.entries(s.flags).map(([k, v]) => [`--${k}`, <code key={k}>{v}</code>] as const)} />
          </>
        )}
      </Loaded>
    </>
  );
}
