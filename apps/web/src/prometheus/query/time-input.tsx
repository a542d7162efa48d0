import { useEffect, useState } from 'react';
import { formatTimeInput, parseTimeInput } from '../../shell/time-text.js';

/** A UTC time field ("2024-05-01 10:00:00"); empty means now. Applied on Enter or blur. */
export function TimeInput({ valueMs, onChange }: { valueMs: number | undefined; onChange: (ms: number | undefined) => void }) {
  const [text, setText] = useState(valueMs === undefined ? '' : formatTimeInput(valueMs));
  useEffect(() => setText(valueMs === undefined ? '' : formatTimeInput(valueMs)), [valueMs]);
  const apply = () => {
    const ms = parseTimeInput(text);
    if (ms !== valueMs) onChange(ms);
  };
  return (
    <span className="row">
      <input className="input mono" style={{ width: 170 }} value={text} placeholder="now (UTC)" aria-label="Time (UTC)" onChange={(e) => setText(e.target.value)} onBlur={apply} onKeyDown={(e) => e.key === 'Enter' && apply()} />
      {valueMs !== undefined && (
        <button type="button" className="btn" onClick={() => onChange(undefined)} title="Back to now">
          ✕
        </button>
      )}
    </span>
  );
}
