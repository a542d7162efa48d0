import type { AlertmanagersData } from '@pyrometer/http-api';
import { promData } from '../shell/api.js';
import { Loaded } from '../shell/components.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';

/** Status → Alertmanager discovery (`/alertmanagers`): the Alertmanagers alerts are sent to, and the dropped ones. */
export function AlertmanagerDiscoveryPage() {
  const state = useFetch(() => promData<AlertmanagersData>('api/v1/alertmanagers'), 'alertmanagers', 15_000);
  return (
    <>
      <PageHeader title="Alertmanager discovery" />
      <Loaded state={state}>
        {(d) => (
          <>
            <UrlList title="Active Alertmanagers" urls={d.activeAlertmanagers} />
            <UrlList title="Dropped Alertmanagers" urls={d.droppedAlertmanagers} />
          </>
        )}
      </Loaded>
    </>
  );
}

function UrlList({ title, urls }: { title: string; urls: { url: string }[] }) {
  return (
    <div className="panel">
      <h2 style={{ marginTop: 0 }}>{title}</h2>
      {urls.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table className="table">
          <tbody>
            {urls.map((u) => (
              <tr key={u.url}>
                <td>
                  <code>{u.url}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
