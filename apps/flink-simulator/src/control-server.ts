import type { Server } from 'node:http';
import { createHttpServer, type HttpRoute } from '@pyrometer/http-server';
import type { Logger } from '@pyrometer/telemetry';
import type { SimulatorRunner } from './runner.js';
import { parseScenario } from './scenario.js';

/** One control route: its table entry and what it answers (status and JSON body). */
interface ControlRoute extends HttpRoute {
  answer(runner: SimulatorRunner, param: string): [number, unknown];
}

const ROUTES: readonly ControlRoute[] = [
  {
    methods: ['GET'],
    path: '/status',
    answer: (runner) => [200, { scenario: runner.simulator.currentScenario, series: runner.simulator.seriesCount(Date.now()), jobLabels: runner.jobLabels() }],
  },
  {
    methods: ['POST'],
    path: '/scenario/:name',
    answer: (runner, name) => {
      try {
        runner.simulator.setScenario(parseScenario(name));
        return [200, { scenario: runner.simulator.currentScenario }];
      } catch (err) {
        return [400, { error: (err as Error).message }];
      }
    },
  },
];

/** The control endpoint's route table, as its fuzz test enumerates it. */
export const CONTROL_ROUTES: readonly HttpRoute[] = ROUTES.map(({ methods, path }) => ({ methods, path }));

/** `/a/:name` → a regex capturing the one parameter segment. */
const patternOf = (path: string) => new RegExp(`^${path.replace(/:[^/]+/, '([^/]+)')}$`);

/**
 * A tiny control endpoint for demos and end-to-end tests: `GET /status` answers the scenario, the
 * series pushed per interval and the job labels; `POST /scenario/<name>` switches the scenario
 * from the next tick on (400 naming the accepted scenarios for an unknown one). Behind
 * @pyrometer/http-server, so no request can take the simulator down.
 */
export function startControlServer(runner: SimulatorRunner, address: string, logger: Logger): Promise<Server> {
  const [host, portText] = splitHostPort(address);
  const compiled = ROUTES.map((route) => ({ route, pattern: patternOf(route.path) }));
  const server = createHttpServer(
    (req, res, target) => {
      let status = 404;
      let body: unknown = { error: `no route for ${req.method} ${target.path}` };
      for (const { route, pattern } of compiled) {
        const m = pattern.exec(target.path);
        if (m === null) continue;
        if (route.methods.includes(req.method ?? '')) [status, body] = route.answer(runner, m[1] ?? '');
        else status = 405;
        break;
      }
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
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
