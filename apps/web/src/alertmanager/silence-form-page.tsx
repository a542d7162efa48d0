import type { AmMatcher, AmSilence } from '@pyrometer/http-api';
import { formatDuration, parseDuration } from '@pyrometer/model';
import { useEffect, useState } from 'react';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ErrorBox, Loaded, Notice } from '../shell/components.js';
import { PageHeader } from '../shell/layout.js';
import { formatTimeInput, parseTimeInput } from '../shell/time-text.js';
import { useFetch } from '../shell/use-fetch.js';
import { alertsMatching, postSilence, silence } from './am-api.js';
import { AlertList } from './alert-list.js';
import { parseMatchers, selectorText } from './matchers.js';

const AUTHOR_KEY = 'pyrometer.silenceAuthor';

/** The form's fields as typed (times as UTC text, the duration as "2h"). */
interface Draft {
  matchers: string;
  start: string;
  duration: string;
  createdBy: string;
  comment: string;
}

function draftFrom(s: AmSilence | undefined, filter: string): Draft {
  const now = Date.now();
  if (s === undefined) return { matchers: filter, start: formatTimeInput(now), duration: '2h', createdBy: localStorage.getItem(AUTHOR_KEY) ?? '', comment: '' };
  const start = s.status.state === 'expired' ? now : Date.parse(s.startsAt);
  const length = Math.max(60_000, Date.parse(s.endsAt) - Date.parse(s.startsAt));
  return { matchers: selectorText(s.matchers), start: formatTimeInput(start), duration: formatDuration(length), createdBy: s.createdBy, comment: s.comment };
}

/** /silences/new (prefilled from `?filter=`) and /silences/:id/edit: the form, with a live preview of the alerts it mutes. */
export function SilenceFormPage() {
  const id = useParams()['id'];
  const existing = useFetch(() => (id === undefined ? Promise.resolve(undefined) : silence(id)), id ?? 'new');
  return (
    <>
      <PageHeader title={id === undefined ? 'New silence' : 'Edit silence'} />
      <Loaded state={{ data: existing.loading && id !== undefined ? undefined : { s: existing.data }, error: existing.error }}>{({ s }) => <SilenceForm existing={s} />}</Loaded>
    </>
  );
}

function SilenceForm({ existing }: { existing: AmSilence | undefined }) {
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<Draft>(() => draftFrom(existing, params.get('filter') ?? ''));
  const [previewFor, setPreviewFor] = useState(draft.matchers);
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    const timer = setTimeout(() => setPreviewFor(draft.matchers), 300);
    return () => clearTimeout(timer);
  }, [draft.matchers]);
  const field = (name: keyof Draft) => ({ value: draft[name], onChange: (e: { target: { value: string } }) => setDraft({ ...draft, [name]: e.target.value }) });
  const submit = async () => {
    const matchers = parseMatchers(draft.matchers);
    if (matchers.length === 0) throw new Error('a silence needs at least one matcher');
    const start = parseTimeInput(draft.start);
    if (start === undefined) throw new Error(`cannot read the start time ${JSON.stringify(draft.start)} (use 2024-05-01 10:00:00, UTC)`);
    const length = parseDuration(draft.duration.trim());
    localStorage.setItem(AUTHOR_KEY, draft.createdBy);
    const keepId = existing !== undefined && existing.status.state !== 'expired';
    const { silenceID } = await postSilence({
      ...(keepId ? { id: existing.id } : {}),
      matchers,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + length).toISOString(),
      createdBy: draft.createdBy,
      comment: draft.comment,
    });
    navigate(`/silences/${silenceID}`);
  };
  return (
    <>
      <form
        className="panel silence-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit().catch((err: Error) => setError(err.message));
        }}
      >
        <label>
          Matchers
          <input className="input mono" {...field('matchers')} placeholder='{alertname="FlinkJobRestarting", job_name=~"fraud.*"}' aria-label="Matchers" required />
        </label>
        <div className="row">
          <label>
            Start (UTC)
            <input className="input mono" {...field('start')} aria-label="Start" />
          </label>
          <label>
            Duration
            <input className="input mono" {...field('duration')} aria-label="Duration" />
          </label>
        </div>
        <label>
          Creator
          <input className="input" {...field('createdBy')} aria-label="Creator" required />
        </label>
        <label>
          Comment
          <textarea className="input" rows={2} {...field('comment')} aria-label="Comment" required />
        </label>
        {error && <ErrorBox error={error} />}
        <div className="row">
          <button type="submit" className="btn btn-primary">
            {existing === undefined || existing.status.state === 'expired' ? 'Create' : 'Update'}
          </button>
        </div>
      </form>
      <h2>Preview: alerts this silence mutes</h2>
      <Preview matchersText={previewFor} />
    </>
  );
}

function Preview({ matchersText }: { matchersText: string }) {
  let matchers: AmMatcher[] = [];
  try {
    matchers = parseMatchers(matchersText);
  } catch (e) {
    return <ErrorBox error={(e as Error).message} title="Matchers" />;
  }
  return matchers.length === 0 ? <Notice>Enter matchers to see the alerts they select.</Notice> : <PreviewList matchers={matchers} />;
}

function PreviewList({ matchers }: { matchers: AmMatcher[] }) {
  const state = useFetch(() => alertsMatching(matchers), JSON.stringify(matchers));
  return (
    <div data-testid="silence-preview">
      <Loaded state={state}>{(list) => (list.length === 0 ? <p className="muted">No alerts match.</p> : <AlertList alerts={list} />)}</Loaded>
    </div>
  );
}
