import { Link, useParams } from 'react-router';
import { KeyValueTable, Loaded, StateBadge } from '../shell/components.js';
import { parseApiTime, relativeTime } from '../shell/format.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';
import { alertsMatching, silence } from './am-api.js';
import { AlertList } from './alert-list.js';
import { selectorText } from './matchers.js';

/** /silences/:id: one silence and the alerts it matches. */
export function SilencePage() {
  const id = useParams()['id'] ?? '';
  const state = useFetch(() => silence(id), id, 15_000);
  return (
    <>
      <PageHeader title="Silence">
        <Link className="btn" to={`/silences/${id}/edit`}>
          Edit
        </Link>
      </PageHeader>
      <Loaded state={state}>
        {(s) => (
          <>
            <KeyValueTable
              rows={[
                ['ID', <code key="id">{s.id}</code>],
                ['State', <StateBadge key="s" state={s.status.state} />],
                ['Matchers', <code key="m">{selectorText(s.matchers)}</code>],
                ['Starts', `${s.startsAt} (${relativeTime(parseApiTime(s.startsAt))})`],
                ['Ends', `${s.endsAt} (${relativeTime(parseApiTime(s.endsAt))})`],
                ['Created by', s.createdBy],
                ['Comment', s.comment],
              ]}
            />
            <h2>Affected alerts</h2>
            <Affected silenceId={s.id} matchers={s.matchers} />
          </>
        )}
      </Loaded>
    </>
  );
}

function Affected({ silenceId, matchers }: { silenceId: string; matchers: Parameters<typeof alertsMatching>[0] }) {
  const state = useFetch(() => alertsMatching(matchers), silenceId, 15_000);
  return <Loaded state={state}>{(list) => (list.length === 0 ? <p className="muted">No alerts match.</p> : <AlertList alerts={list} />)}</Loaded>;
}
