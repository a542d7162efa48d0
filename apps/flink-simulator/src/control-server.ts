import { createServer, type Server } from 'node:http';
import { parseScenario } from './scenario.js';
import type { SimulatorRunner } from './runner.js';

/**
 * A tiny control endpoint for demos and end-to-end tests: `GET /status` answers the scenario, the
 * series pushed per interval and the job labels; `POST /scenario/<name>` switches the scenario
 * from the next tick on (400 naming the accepted scenarios for an unknown one).
 */
export function startControlServer(runner: SimulatorRunner, address: string): Promise<Server> {
  const [host, portText] = splitHostPort(address);
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://control');
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.method === 'GET' && url.pathname === '/status') {
      return reply(200, { scenario: runner.simulator.currentScenario, series: runner.simulator.seriesCount(Date.now()), jobLabels: runner.jobLabels() });
    }
    const m = /^\/scenario\/([^/]+)$/.exec(url.pathname);
    if (req.method === 'POST' && m) {
      try {
        runner.simulator.setScenario(parseScenario(decodeURIComponent(m[1]!)));
        return reply(200, { scenario: runner.simulator.currentScenario });
      } catch (err) {
        return reply(400, { error: (err as Error).message });
      }
    }
    reply(404, { error: `no route for ${req.method} ${url.pathname}` });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(Number(portText), host, () => resolve(server));
  });
}

function splitHostPort(address: string): [string, string] {
  const i = address.lastIndexOf(':');
  if (i < 0 || !/^\d+$/.test(address.slice(i + 1))) throw new Error(`--control.listen-address: expected host:port, got ${JSON.stringify(address)}`);
  return [address.slice(0, i) || '0.0.0.0', address.slice(i + 1)];
}
