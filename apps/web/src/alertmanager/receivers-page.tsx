import { Link } from 'react-router';
import { Loaded } from '../shell/components.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';
import { receivers } from './am-api.js';

/** The receivers of the configuration, each linking to the alerts routed to it. */
export function ReceiversPage() {
  const state = useFetch(receivers, 'receivers');
  return (
    <>
      <PageHeader title="Receivers" />
      <Loaded state={state}>
        {(list) => (
          <div className="panel">
            <table className="table">
              <tbody>
                {list.map((r) => (
                  <tr key={r.name}>
                    <td>{r.name}</td>
                    <td>
                      <Link to={`/alerts?${new URLSearchParams({ receiver: r.name }).toString()}`}>alerts</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
    </>
  );
}
