import type { Server } from 'node:http';
import { createHttpServer, type HttpRoute } from '@pyrometer/http-server';
import type { Logger } from '@pyrometer/telemetry';
import type { SimulatorRunner } from './runner.js';
import { parseScenario } from './scenario.js';

/** The control endpoint's routes, as its fuzz test enumerates them. */
export const CONTROL_ROUTES: readonly HttpRoute[] = [
  { methods: ['GET'], path: '/status' },
  { methods: ['POST'], path: '/scenario/:name' },
];

/**
 * A tiny control endpoint for demos and end-to-end tests: `GET /status` answers the scenario, the
 * series pushed per interval and the job labels; `POST /scenario/<name>` switches the scenario
 * from the next tick on (400 naming the accepted scenarios for an unknown one). Behind
 * @pyrometer/http-server, so no request can take the simulator down.
 */
export function startControlServer(runner: SimulatorRunner, address: string, logger: Logger): Promise<Server> {
  const [host, portText] = splitHostPort(address);
  const server = createHttpServer(
    (req, res, target) => {
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const scenario = /^\/scenario\/([^/]+)$/.exec(target.path);
      const known = target.path === '/status' || scenario !== null;
      if (req.method === 'GET' && target.path === '/status') {
        return reply(200, { scenario: runner.simulator.currentScenario, series: runner.simulator.seriesCount(Date.now()), jobLabels: runner.jobLabels() });
      }
      if (req.method === 'POST' && scenario !== null) {
        try {
          runner.simulator.setScenario(parseScenario(scenario[1]!));
          return reply(200, { scenario: runner.simulator.currentScenario });
        } catch (err) {
          return reply(400, { error: (err as Error).message });
        }
      }
      reply(known ? 405 : 404, { error: `no route for ${req.method} ${target.path}` });
    },
    { logger },
  );
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
