import { sendText } from './response.js';
import type { Router } from './router.js';

/** What the lifecycle endpoints act on. */
export interface Lifecycle {
  /** False until storage is open and the first config applied; /-/ready answers 503 meanwhile. */
  ready(): boolean;
  /** Reloads the configuration; rejects with the reason when the new config is bad (the old one keeps running). */
  reload(): Promise<void>;
  /** Starts a graceful shutdown. */
  quit(): void;
  /** `--web.enable-lifecycle`. */
  enabled: boolean;
}

/** Registers /-/healthy, /-/ready, /-/reload and /-/quit with upstream's texts and status codes. */
export function addLifecycleRoutes(router: Router, lifecycle: Lifecycle): void {
  router.add(['GET', 'HEAD'], '/-/healthy', ({ req, res }) => sendText(req, res, 200, 'Prometheus Server is Healthy.\n'));
  router.add(['GET', 'HEAD'], '/-/ready', ({ req, res }) => {
    if (lifecycle.ready()) sendText(req, res, 200, 'Prometheus Server is Ready.\n');
    else sendText(req, res, 503, 'Service Unavailable', { 'X-Prometheus-Stopping': 'false' });
  });
  const guarded = (action: (respond: (status: number, text: string) => void) => Promise<void>) =>
    (({ req, res }: { req: Parameters<typeof sendText>[0]; res: Parameters<typeof sendText>[1] }) => {
      const respond = (status: number, text: string) => sendText(req, res, status, text);
      if (req.method !== 'POST' && req.method !== 'PUT') return respond(405, 'Only POST or PUT requests allowed');
      if (!lifecycle.enabled) return respond(403, 'Lifecycle API is not enabled.');
      return action(respond);
    });
  router.add(['GET', 'POST', 'PUT'], '/-/reload', guarded(async (respond) => {
    try {
      await lifecycle.reload();
      respond(200, '');
    } catch (err) {
      respond(500, `failed to reload config: ${(err as Error).message}`);
    }
  }));
  router.add(['GET', 'POST', 'PUT'], '/-/quit', guarded(async (respond) => {
    respond(200, 'Requesting termination... Goodbye!');
    lifecycle.quit();
  }));
}
