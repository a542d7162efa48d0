import type { IncomingMessage, ServerResponse } from 'node:http';
import { createUiHandler, type UiHandlerOptions } from './ui-handler.js';

/** A request listener that also gets the request's decoded, clean path (`@pyrometer/http-server`'s TargetListener). */
type TargetListener<T extends { path: string }> = (req: IncomingMessage, res: ServerResponse, target: T) => void | Promise<void>;

/**
 * A listener that answers the UI's pages (GET and HEAD under `routePrefix`, matched on the
 * target's clean path) and hands everything else to `next`: how an app whose routing is a plain
 * listener (the Pushgateway, the Alertmanager) mounts the UI at its `/`.
 */
export function withUi<T extends { path: string }>(next: TargetListener<T>, options: UiHandlerOptions & { routePrefix: string }): TargetListener<T> {
  const ui = createUiHandler(options);
  const prefix = options.routePrefix.replace(/\/+$/, '');
  return (req, res, target) => {
    const path = target.path;
    const inApp = prefix === '' ? path : path === prefix ? '/' : path.startsWith(`${prefix}/`) ? path.slice(prefix.length) : undefined;
    if ((req.method === 'GET' || req.method === 'HEAD') && inApp !== undefined && ui.handles(inApp)) return ui.serve(req, res, inApp);
    return next(req, res, target);
  };
}
