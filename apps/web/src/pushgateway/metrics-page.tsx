import { parseDuration } from '@pyrometer/model';
import { useState } from 'react';
import { Collapsible, ErrorBox, FilterInput, LabelBadges, Loaded, Notice } from '../shell/components.js';
import { humanDuration, relativeTime } from '../shell/format.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';
import { deleteGroup, deleteMatching, families, fetchGroups, fetchStatus, pushTimeMs, type PushedFamily, type PushedGroup } from './pushgateway-api.js';

/** The Pushgateway's start page: every group with its metrics and last push, delete, expiry and delete-by-matchers. */
export function MetricsPage() {
  const groups = useFetch(fetchGroups, 'groups', 10_000);
  const status = useFetch(fetchStatus, 'status');
  const [filter, setFilter] = useState('');
  const [error, setError] = useState<string | undefined>();
  const ttlMs = ttlOf(status.data?.flags['push.group-ttl']);
  const run = (action: Promise<unknown>) => action.then(() => (setError(undefined), groups.reload()), (e: Error) => setError(e.message));
  return (
    <>
      <PageHeader title="Metric groups">
        <FilterInput value={filter} onChange={setFilter} placeholder="Filter by grouping labels" />
      </PageHeader>
      {ttlMs > 0 && <Notice>Groups not pushed to for {humanDuration(ttlMs)} are deleted (--push.group-ttl).</Notice>}
      {status.data?.flags['web.enable-delete-by-matchers'] === 'true' && <DeleteMatching onDelete={(selector) => run(deleteMatching(selector))} />}
      {error && <ErrorBox error={error} />}
      <Loaded state={groups}>
        {(list) => {
          const shown = list.filter((g) => filter === '' || JSON.stringify(g.labels).toLowerCase().includes(filter.toLowerCase()));
          if (list.length === 0) return <p className="muted">No metrics have been pushed.</p>;
          return shown.map((g) => <Group key={JSON.stringify(g.labels)} group={g} ttlMs={ttlMs} onDelete={() => run(deleteGroup(g.labels))} />);
        }}
      </Loaded>
    </>
  );
}

function ttlOf(flag: string | undefined): number {
  try {
    return flag === undefined ? 0 : parseDuration(flag);
  } catch {
    return 0;
  }
}

function Group({ group, ttlMs, onDelete }: { group: PushedGroup; ttlMs: number; onDelete: () => void }) {
  const pushed = pushTimeMs(group, 'push_time_seconds');
  const failed = pushTimeMs(group, 'push_failure_time_seconds');
  const last = Math.max(pushed, failed);
  return (
    <Collapsible
      defaultOpen={false}
      title={
        <>
          <LabelBadges labels={group.labels} />
          <span className="muted">last push {relativeTime(pushed)}</span>
          {!group.last_push_successful && <span className="badge badge-bad">LAST PUSH FAILED {relativeTime(failed)}</span>}
          {ttlMs > 0 && last > 0 && <span className="muted">expires {relativeTime(last + ttlMs)}</span>}
        </>
      }
    >
      <div className="row" style={{ justifyContent: 'flex-end' }}>
        <button type="button" className="btn btn-danger" onClick={() => window.confirm(`Delete the group ${JSON.stringify(group.labels)}?`) && onDelete()}>
          Delete group
        </button>
      </div>
      {families(group).map(([name, family]) => (
        <Family key={name} name={name} family={family} />
      ))}
    </Collapsible>
  );
}

function Family({ name, family }: { name: string; family: PushedFamily }) {
  const [open, setOpen] = useState(false);
  return (
    <div className="family">
      <button type="button" className="link-button mono" onClick={() => setOpen(!open)} aria-expanded={open}>
        {open ? '▾' : '▸'} {name}
      </button>{' '}
      <span className="muted">
        {family.type.toLowerCase()} · {family.metrics.length} {family.metrics.length === 1 ? 'metric' : 'metrics'}
        {family.help ? ` · ${family.help}` : ''}
      </span>
      {open && (
        <table className="table">
          <tbody>
            {family.metrics.map((m, i) => (
              <tr key={i}>
                <td>
                  <LabelBadges labels={m.labels} />
                </td>
                <td className="num mono">{m.value ?? `count ${m.count ?? ''} · sum ${m.sum ?? ''}${m.quantiles ? ` · ${Object.entries(m.quantiles).map(([q, v]) => `q${q}=${v}`).join(' ')}` : ''}`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function DeleteMatching({ onDelete }: { onDelete: (selector: string) => void }) {
  const [selector, setSelector] = useState('');
  return (
    <form
      className="panel row"
      onSubmit={(e) => {
        e.preventDefault();
        if (selector.trim() !== '' && window.confirm(`Delete every group matching ${selector}?`)) onDelete(selector.trim());
      }}
    >
      <span className="muted">Delete groups matching</span>
      <input className="input mono" style={{ flex: 1 }} value={selector} placeholder='{job=~"flinkJob.*"}' aria-label="Group selector" onChange={(e) => setSelector(e.target.value)} />
      <button type="submit" className="btn btn-danger">
        Delete matching
      </button>
    </form>
  );
}
