import { readFile } from 'node:fs/promises';
import type { TemplateData } from '@pyrometer/template';
import type { Alert } from '../alerts/alert.js';
import { AlertmanagerError } from '../errors.js';
import type { NotifyContext } from './context.js';
import { notifyError, type IntegrationDeps } from './notifier.js';

/** Renders one config text (a field such as `title`) against the notification's data. */
export type Render = (text: string) => Promise<string>;

/** One notification's template data and its text and HTML renderers (upstream's `TmplText` / `TmplHTML`). */
export interface Rendering {
  readonly data: TemplateData;
  readonly text: Render;
  readonly html: Render;
}

/**
 * Prepares rendering for one notification. A template that fails rejects with a non-retryable
 * `notify` error (trying again renders the same failure), its message prefixed with `prefix`.
 */
export function rendering(deps: IntegrationDeps, ctx: NotifyContext, alerts: readonly Alert[], prefix = ''): Rendering {
  const data = deps.templateData(ctx.receiver, ctx.groupLabels, alerts, deps.clock.now());
  const wrap = (run: (text: string, data: TemplateData) => Promise<string>): Render => async (text) => {
    try {
      return await run(text, data);
    } catch (err) {
      throw notifyError(`${prefix}${(err as Error).message}`, false, 'other', err);
    }
  };
  return { data, text: wrap((t, d) => deps.templates.executeText(t, d)), html: wrap((t, d) => deps.templates.executeHtml(t, d)) };
}

/**
 * A secret read from its `*_file` at send time (so a rotated secret applies at once), trimmed
 * unless asked not to. An unreadable file rejects with a `notify` error: `<what>: <cause>`.
 */
export async function readSecretFile(path: string, what: string, retryable = false, trim = true): Promise<string> {
  try {
    const content = await readFile(path, 'utf8');
    return trim ? content.trim() : content;
  } catch (err) {
    throw notifyError(`${what}: ${(err as Error).message}`, retryable, 'other', err);
  }
}

/** The same failure with `prefix` before its message (upstream's `fmt.Errorf("channel %q: %w", …)`). */
export function prefixed(err: unknown, prefix: string): unknown {
  if (!(err instanceof AlertmanagerError)) return err;
  return notifyError(`${prefix}${err.message}`, err.retryable, err.reason, err);
}
