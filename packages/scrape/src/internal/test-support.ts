import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Matcher, MatchType } from '@pyrometer/model';
import { ValueType, type Queryable } from '@pyrometer/storage';

/** A real HTTP server on 127.0.0.1, port 0, for tests. */
export interface TestServer {
  /** `127.0.0.1:<port>`, what a target address looks like. */
  address: string;
  url: string;
  /** Every request received so far. */
  requests: IncomingMessage[];
  close(): Promise<void>;
}

/** Starts a server whose responses come from `handler`; remember to close it. */
export async function startServer(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<TestServer> {
  const requests: IncomingMessage[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** One stored point: timestamp (ms), value, and whether it is a staleness marker. */
export interface Point {
  t: number;
  v: number;
  stale: boolean;
}

/** Every series named `name` in `q` with its points, keyed by the labels' text form. */
export async function readSeries(q: Queryable, name: string): Promise<Map<string, Point[]>> {
  const querier = await q.querier(-Infinity, Infinity);
  const set = await querier.select([new Matcher(MatchType.Equal, '__name__', name)]);
  const out = new Map<string, Point[]>();
  for (const s of set.series) {
    const points: Point[] = [];
    const it = s.iterator();
    while (it.next() !== ValueType.None) points.push({ t: it.atT(), v: it.atF(), stale: it.atStale() });
    out.set(s.labels.toString(), points);
  }
  await querier.close();
  return out;
}
