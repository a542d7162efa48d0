import type { NameCount, TsdbStatusData } from '@pyrometer/http-api';
import { promData } from '../shell/api.js';
import { KeyValueTable, Loaded } from '../shell/components.js';
import { PageHeader } from '../shell/layout.js';
import { useFetch } from '../shell/use-fetch.js';

const timeText = (ms: number) => (Number.isFinite(ms) && Math.abs(ms) < 8.64e15 ? new Date(ms).toISOString() : 'no data');

/** Status → TSDB status (`/status/tsdb`): head statistics and the cardinality tables. */
export function TsdbStatusPage() {
  const state = useFetch(() => promData<TsdbStatusData>('api/v1/status/tsdb', { limit: 10 }), 'tsdb', 30_000);
  return (
    <>
      <PageHeader title="TSDB status" />
      <Loaded state={state}>
        {(d) => (
          <>
            <div className="panel">
              <h2 style={{ marginTop: 0 }}>Head block</h2>
              <KeyValueTable
                rows={[
                  ['Number of series', d.headStats.numSeries.toLocaleString()],
                  ['Number of chunks', d.headStats.chunkCount.toLocaleString()],
                  ['Number of label pairs', d.headStats.numLabelPairs.toLocaleString()],
                  ['Current min time', timeText(d.headStats.minTime)],
                  ['Current max time', timeText(d.headStats.maxTime)],
                ]}
              />
            </div>
            <div className="grid">
              <CountTable title="Top 10 series count by metric name" column="Count" rows={d.seriesCountByMetricName} />
              <CountTable title="Top 10 label names with value count" column="Count" rows={d.labelValueCountByLabelName} />
              <CountTable title="Top 10 label names with high memory usage" column="Bytes" rows={d.memoryInBytesByLabelName} />
              <CountTable title="Top 10 series count by label value pairs" column="Count" rows={d.seriesCountByLabelValuePair} />
            </div>
          </>
        )}
      </Loaded>
    </>
  );
}

function CountTable({ title, column, rows }: { title: string; column: string; rows: NameCount[] }) {
  return (
    <div className="panel">
      <h2 style={{ marginTop: 0 }}>{title}</h2>
      <table className="table">
        <thead>
          <tr>
            <th>Name</th>
            <th className="num">{column}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.name}>
              <td className="mono">{r.name}</td>
              <td className="num">{r.value.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
