import { useState, type ReactNode } from 'react';

/** An error box with the message as the API gave it. */
export function ErrorBox({ error, title = 'Error' }: { error: Error | string; title?: string }) {
  return (
    <div className="alert alert-error" role="alert">
      <strong>{title}:</strong> {typeof error === 'string' ? error : error.message}
    </div>
  );
}

/** A neutral or warning notice (API warnings, empty states). */
export function Notice({ kind = 'info', children }: { kind?: 'info' | 'warning'; children: ReactNode }) {
  return <div className={`alert alert-${kind}`}>{children}</div>;
}

export function Loading() {
  return <div className="loading">Loading…</div>;
}

/** Wraps a fetched section: the error, a loading line before the first answer, then the content. */
export function Loaded<T>({ state, children }: { state: { data: T | undefined; error: Error | undefined }; children: (data: T) => ReactNode }) {
  return (
    <>
      {state.error && <ErrorBox error={state.error} />}
      {state.data === undefined ? !state.error && <Loading /> : children(state.data)}
    </>
  );
}

/** A label set as badges (`name="value"`), the metric name first. */
export function LabelBadges({ labels, className = '' }: { labels: Readonly<Record<string, string>>; className?: string }) {
  return (
    <span className={`label-badges ${className}`}>
      {Object.entries(labels).map(([k, v]) => (
        <span key={k} className="label-badge">
          {k}="{v}"
        </span>
      ))}
    </span>
  );
}

const BADGE_KIND: Record<string, string> = { up: 'ok', ok: 'ok', inactive: 'ok', firing: 'bad', down: 'bad', err: 'bad', pending: 'warn', unknown: 'muted', active: 'bad', suppressed: 'muted', expired: 'muted' };

/** A coloured state word: up/ok/inactive green, firing/down/err red, pending amber, unknown grey. */
export function StateBadge({ state }: { state: string }) {
  return <span className={`badge badge-${BADGE_KIND[state.toLowerCase()] ?? 'muted'}`}>{state.toUpperCase()}</span>;
}

/** A titled section that opens and closes. */
export function Collapsible({ title, defaultOpen = true, children }: { title: ReactNode; defaultOpen?: boolean; children: ReactNode }) {
  const [open, setOpen] = useState(defaultOpen);
  return (
    <section className="card">
      <button type="button" className="card-title" aria-expanded={open} onClick={() => setOpen(!open)}>
        <span className="chevron">{open ? '▾' : '▸'}</span> {title}
      </button>
      {open && <div className="card-body">{children}</div>}
    </section>
  );
}

/** A text filter input. */
export function FilterInput({ value, onChange, placeholder }: { value: string; onChange: (v: string) => void; placeholder: string }) {
  return <input className="input filter" type="search" value={value} placeholder={placeholder} onChange={(e) => onChange(e.target.value)} aria-label={placeholder} />;
}

/** Toggle buttons for a set of values (state filters). */
export function ToggleGroup<T extends string>({ options, selected, onChange }: { options: readonly T[]; selected: ReadonlySet<T>; onChange: (next: Set<T>) => void }) {
  return (
    <span className="toggle-group">
      {options.map((o) => (
        <button
          key={o}
          type="button"
          className={`toggle${selected.has(o) ? ' on' : ''}`}
          aria-pressed={selected.has(o)}
          onClick={() => {
            const next = new Set(selected);
            if (next.has(o)) next.delete(o);
            else next.add(o);
            onChange(next);
          }}
        >
          {o}
        </button>
      ))}
    </span>
  );
}

/** A two-column table of names and values (flags, runtime info). */
export function KeyValueTable({ rows }: { rows: readonly (readonly [string, ReactNode])[] }) {
  return (
    <table className="table kv">
      <tbody>
        {rows.map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td>{v}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
