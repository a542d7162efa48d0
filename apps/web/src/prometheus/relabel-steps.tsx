import type { LabelSet, RelabelStepsData } from '@pyrometer/http-api';
import { promData } from '../shell/api.js';
import { LabelBadges, Loaded } from '../shell/components.js';
import { useFetch } from '../shell/use-fetch.js';

/** A target's labels before relabeling, after each rule (`/targets/relabel_steps`), and whether it was kept. */
export function RelabelSteps({ pool, discovered }: { pool: string; discovered: LabelSet }) {
  const state = useFetch(() => promData<RelabelStepsData>('api/v1/targets/relabel_steps', { scrapePool: pool, labels: JSON.stringify(discovered) }), `${pool}${JSON.stringify(discovered)}`);
  return (
    <div className="relabel">
      <div className="relabel-step">
        <div className="muted">Discovered labels</div>
        <LabelBadges labels={discovered} />
      </div>
      <Loaded state={state}>
        {(d) =>
          d.steps.map((s, i) => (
            <div className="relabel-step" key={i}>
              <div className="muted mono">
                {i + 1}. {Object.entries(s.rule).map(([k, v]) => `${k}: ${JSON.stringify(v)}`).join(', ')}
              </div>
              {s.keep ? <LabelBadges labels={s.output} /> : <span className="error-text">target dropped</span>}
            </div>
          ))
        }
      </Loaded>
    </div>
  );
}
