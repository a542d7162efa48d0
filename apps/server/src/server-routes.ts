import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, readBody } from '@pyrometer/http-server';
import type { Notifier } from '@pyrometer/notifier';
import { RemoteWriteReceiver, serveRemoteRead } from '@pyrometer/remote';
import type { ScrapeManager } from '@pyrometer/scrape';
import type { Logger, MetricsRegistry } from '@pyrometer/telemetry';
import type { Tsdb } from '@pyrometer/tsdb';
import { cleanTombstones, deleteSeries, snapshot } from './api/admin-api.js';
import { alertmanagersData } from './api/alertmanagers-api.js';
import { targetRelabelSteps } from './api/relabel-steps-api.js';
import { apiRoute } from './api/respond.js';
import { tsdbStatusData } from './api/status-api.js';
import { metricMetadata, scrapePools, targetMetadata, targets } from './api/targets-api.js';
import type { ServerOptions } from './flags.js';
import { receivePooledRemoteWrite } from './query/pooled-remote-write.js';
import type { QueryPool } from './query/query-pool.js';
import { send, sendText } from './web/response.js';
import type { Router } from './web/router.js';

/** The server-specific parts the routes below read. */
export interface ServerRouteDeps {
  options: ServerOptions;
  tsdb: Tsdb;
  scrape: ScrapeManager;
  notifier: Notifier;
  externalLabels: () => Readonly<Record<string, string>>;
  /** Decodes remote write bodies (a pool of its own, so ingestion never waits behind a query); undefined when the receiver is off. */
  ingestPool: QueryPool | undefined;
  logger: Logger;
  registry: MetricsRegistry;
}

const ADMIN_METHODS = ['POST', 'PUT'] as const;

/** Registers targets/metadata, admin, remote write/read (and the other endpoints that need the TSDB or scraper). */
export function addServerRoutes(router: Router, deps: ServerRouteDeps): void {
  const { options, tsdb, scrape } = deps;
  router.add('GET', '/api/v1/status/tsdb', apiRoute(async (_, form) => tsdbStatusData(tsdb, form.get('limit'))));
  router.add('GET', '/api/v1/targets', apiRoute(async (_, form) => targets(scrape, form)));
  router.add('GET', '/api/v1/alertmanagers', apiRoute(async () => alertmanagersData(deps.notifier)));
  router.add('GET', '/api/v1/scrape_pools', apiRoute(async () => scrapePools(scrape)));
  const remoteWrite = new RemoteWriteReceiver({ appendable: tsdb, logger: deps.logger, registry: deps.registry, maxDecodedBytes: options.maxRequestBodyBytes });
  router.add('GET', '/api/v1/metadata', apiRoute(async (_, form) => metricMetadata([...scrape.metadata(), ...remoteWrite.metadata()], form)));
  router.add('GET', '/api/v1/targets/relabel_steps', apiRoute(async (_, form) => targetRelabelSteps(scrape, form)));
  router.add('GET', '/api/v1/status/tsdb/blocks', apiRoute(async () => ({ data: JSON.stringify({ blocks: tsdb.blockMetas() }) })));
  router.add('GET', '/api/v1/targets/metadata', apiRoute(async (_, form) => targetMetadata(scrape, form)));
  router.add(ADMIN_METHODS, '/api/v1/admin/tsdb/delete_series', apiRoute((_, form) => deleteSeries(tsdb, options.enableAdminApi, form)));
  router.add(ADMIN_METHODS, '/api/v1/admin/tsdb/clean_tombstones', apiRoute(() => cleanTombstones(tsdb, options.enableAdminApi)));
  router.add(ADMIN_METHODS, '/api/v1/admin/tsdb/snapshot', apiRoute((_, form) => snapshot(tsdb, options.enableAdminApi, options.tsdbPath, form)));
  router.add('POST', '/api/v1/write', async ({ req, res }) => {
    if (deps.ingestPool === undefined) return sendText(req, res, 404, 'remote write receiver needs to be enabled with --web.enable-remote-write-receiver\n');
    const body = await bodyOrAnswer(req, res, options.maxRequestBodyBytes);
    if (body === undefined) return;
    const headers = { contentType: req.headers['content-type'], contentEncoding: req.headers['content-encoding'] };
    const answer = await receivePooledRemoteWrite(deps.ingestPool, remoteWrite, body, headers, options.maxRequestBodyBytes);
    if (answer.status === 204) {
      res.writeHead(204);
      res.end();
    } else sendText(req, res, answer.status, answer.body + '\n');
  });
  router.add('POST', '/api/v1/read', async ({ req, res }) => {
    const body = await bodyOrAnswer(req, res, options.maxRequestBodyBytes);
    if (body === undefined) return;
    const answer = await serveRemoteRead(body, tsdb, deps.externalLabels());
    send(req, res, answer.status, answer.headers['Content-Type'] ?? 'application/octet-stream', Buffer.from(answer.body), answer.headers);
  });
}

/**
 * The request body, or undefined after answering the HttpError's status: 413 for a body over the
 * limit (a remote-write sender drops a batch on a 4xx instead of retrying it forever), 400 for one
 * cut short.
 */
async function bodyOrAnswer(req: IncomingMessage, res: ServerResponse, limit: number): Promise<Buffer | undefined> {
  try {
    return await readBody(req, limit);
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    sendText(req, res, err.status, `${err.message}\n`, { Connection: 'close' });
    return undefined;
  }
}
