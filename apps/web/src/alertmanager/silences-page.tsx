import type { AmSilence, AmSilenceState } from '@pyrometer/http-api';
import { useState } from 'react';
import { Link } from 'react-router';
import { ErrorBox, Loaded, StateBadge } from '../shell/components.js';
import { parseApiTime, relativeTime } from '../shell/format.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';
import { expireSilence, silences } from './am-api.js';
import { matcherText } from './matchers.js';

const STATES: readonly AmSilenceState[] = ['active', 'pending', 'expired'];

/** Silences by state (active, pending, expired), each with edit and expire. */
export function SilencesPage() {
  const list = useFetch(silences, 'silences', 15_000);
  const [tab, setTab] = useState<AmSilenceState>('active');
  const [error, setError] = useState<string | undefined>();
  const expire = (id: string) => expireSilence(id).then(() => (setError(undefined), list.reload()), (e: Error) => setError(e.message));
  return (
    <>
      <PageHeader title="Silences">
        <Link className="btn btn-primary" to="/silences/new">
          New silence
        </Link>
      </PageHeader>
      <div className="tabs" role="tablist">
        {STATES.map((s) => (
          <button key={s} type="button" role="tab" aria-selected={tab === s} className={`tab${tab === s ? ' active' : ''}`} onClick={() => setTab(s)}>
            {s} ({(list.data ?? []).filter((x) => x.status.state === s).length})
          </button>
        ))}
      </div>
      {error && <ErrorBox error={error} />}
      <Loaded state={list}>
        {(all) => {
          const shown = all.filter((s) => s.status.state === tab).sort((a, b) => parseApiTime(b.startsAt) - parseApiTime(a.startsAt));
          return shown.length === 0 ? <p className="muted">No {tab} silences.</p> : shown.map((s) => <SilenceCard key={s.id} silence={s} onExpire={() => expire(s.id)} />);
        }}
      </Loaded>
    </>
  );
}

function SilenceCard({ silence: s, onExpire }: { silence: AmSilence; onExpire: () => void }) {
  return (
    <div className="panel" data-silence={s.id}>
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <span className="row">
          <StateBadge state={s.status.state} />
          {s.matchers.map((m) => (
            <span key={matcherText(m)} className="label-badge">
              {matcherText(m)}
            </span>
          ))}
        </span>
        <span className="row">
          <Link className="btn" to={`/silences/${s.id}`}>
            View
          </Link>
          <Link className="btn" to={`/silences/${s.id}/edit`}>
            {s.status.state === 'expired' ? 'Recreate' : 'Edit'}
          </Link>
          {s.status.state !== 'expired' && (
            <button type="button" className="btn btn-danger" onClick={() => window.confirm('Expire this silence?') && onExpire()}>
              Expire
            </button>
          )}
        </span>
      </div>
      <div className="muted">
        {s.status.state === 'pending' ? `starts ${relativeTime(parseApiTime(s.startsAt))}` : `started ${relativeTime(parseApiTime(s.startsAt))}`} · {s.status.state === 'expired' ? 'ended' : 'ends'} {relativeTime(parseApiTime(s.endsAt))} · by {s.createdBy}
        {s.comment ? ` · ${s.comment}` : ''}
      </div>
    </div>
  );
}
