import { useState } from 'react';
import { useSearchParams } from 'react-router';
import { Collapsible, ErrorBox, LabelBadges, Loaded } from '../shell/components.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';
import { alertGroups, receivers, type AlertFilter } from './am-api.js';
import { AlertList } from './alert-list.js';
import { parseMatchers } from './matchers.js';

/**
 * Alerts grouped as the routing tree groups them (`/api/v2/alerts/groups`), filtered by matchers,
 * receiver, and whether silenced, inhibited or active alerts show. The filter lives in the URL
 * (`?filter=…&receiver=…`), as the Alertmanager's links write it.
 */
export function AlertsPage() {
  const [params, setParams] = useSearchParams();
  const filterText = params.get('filter') ?? '';
  const [draft, setDraft] = useState(filterText);
  const flag = (name: string, fallback: boolean) => (params.has(name) ? params.get(name) === 'true' : fallback);
  let matchersError: string | undefined;
  let matchers: AlertFilter['matchers'] = [];
  try {
    matchers = parseMatchers(filterText);
  } catch (e) {
    matchersError = (e as Error).message;
  }
  const filter: AlertFilter = { matchers, receiver: params.get('receiver') ?? '', silenced: flag('silenced', false), inhibited: flag('inhibited', false), active: flag('active', true) };
  const groups = useFetch(() => alertGroups(filter), JSON.stringify(filter), 15_000);
  const receiverList = useFetch(receivers, 'receivers');
  const set = (name: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value === '') next.delete(name);
    else next.set(name, value);
    setParams(next);
  };
  return (
    <>
      <PageHeader title="Alerts">
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            set('filter', draft.trim());
          }}
        >
          <input className="input mono filter" value={draft} placeholder='{severity="critical"}' aria-label="Filter" onChange={(e) => setDraft(e.target.value)} />
          <button type="submit" className="btn">
            Filter
          </button>
        </form>
        <select className="select" aria-label="Receiver" value={filter.receiver} onChange={(e) => set('receiver', e.target.value)}>
          <option value="">All receivers</option>
          {(receiverList.data ?? []).map((r) => (
            <option key={r.name} value={r.name}>
              {r.name}
            </option>
          ))}
        </select>
        {(['silenced', 'inhibited', 'active'] as const).map((name) => (
          <label key={name} className="row">
            <input type="checkbox" checked={filter[name]} onChange={(e) => set(name, String(e.target.checked))} /> {name}
          </label>
        ))}
      </PageHeader>
      {matchersError && <ErrorBox error={matchersError} title="Filter" />}
      <Loaded state={groups}>
        {(list) =>
          list.length === 0 ? (
            <p className="muted">No alerts.</p>
          ) : (
            list.map((g) => (
              <Collapsible
                key={`${g.receiver.name}/${JSON.stringify(g.labels)}`}
                title={
                  <>
                    <LabelBadges labels={g.labels} />
                    <span className="muted">
                      → {g.receiver.name} · {g.alerts.length} {g.alerts.length === 1 ? 'alert' : 'alerts'}
                    </span>
                  </>
                }
              >
                <AlertList alerts={g.alerts} omit={Object.keys(g.labels)} />
              </Collapsible>
            ))
          )
        }
      </Loaded>
    </>
  );
}
