import { jsonString } from '@pyrometer/http-api';
import { templateDataJSON, type TemplateData } from '@pyrometer/template';
import type { Alert } from '../alerts/alert.js';
import { AlertmanagerError } from '../errors.js';
import type { WebhookConfig } from '../config/receivers/receiver.js';
import { formatGoDuration } from '../time/go-duration.js';
import type { NotifyContext } from './context.js';
import { integrationHttpClient } from './http-post.js';
import { readSecretFile } from './render.js';
import { notifyError, reasonOf, type IntegrationDeps, type IntegrationFactory, type Notifier } from './notifier.js';

/**
 * The webhook payload, version 4, byte for byte as upstream's `json.Encoder` writes it: the
 * template data's fields in upstream's order (Go's escaping, RFC 3339 times with nanoseconds),
 * then `version`, `groupKey` and `truncatedAlerts`, and a trailing newline.
 */
export function webhookPayload(data: TemplateData, groupKey: string, truncatedAlerts: number): string {
  return `${templateDataJSON(data).slice(0, -1)},"version":"4","groupKey":${jsonString(groupKey)},"truncatedAlerts":${truncatedAlerts}}\n`;
}

/** The webhook integration (`notify/webhook`): POSTs the version 4 payload to `url` or the URL in `url_file`. */
export const webhookIntegration: IntegrationFactory<'webhook'> = async (config: WebhookConfig, deps: IntegrationDeps): Promise<Notifier> => {
  const client = await integrationHttpClient(config.httpConfig);
  return {
    async notify(ctx: NotifyContext, all: readonly Alert[]): Promise<void> {
      const max = config.maxAlerts;
      const alerts = max > 0 && all.length > max ? all.slice(0, max) : all;
      const data = deps.templateData(ctx.receiver, ctx.groupLabels, alerts, deps.clock.now());
      const body = webhookPayload(data, ctx.groupKey, all.length - alerts.length);
      const url = config.url ?? (await readSecretFile(config.urlFile, 'read url_file'));
      const timeout = new AbortController();
      const timer = config.timeout > 0 ? deps.clock.setTimer(() => timeout.abort(), config.timeout) : undefined;
      try {
        const res = await client.request(url, {
          method: 'POST',
          body,
          headers: { 'content-type': 'application/json', 'user-agent': deps.userAgent },
          signal: timer === undefined ? ctx.signal : AbortSignal.any([ctx.signal, timeout.signal]),
        });
        const text = await res.body.text();
        if (res.statusCode >= 200 && res.statusCode < 300) return;
        const details = text === '' ? '' : `: ${text}`;
        throw notifyError(`unexpected status code ${res.statusCode}${details}`, res.statusCode >= 500 && res.statusCode < 600, reasonOf(res.statusCode));
      } catch (err) {
        if (err instanceof AlertmanagerError) throw err;
        // Like upstream, the URL (it may hold a secret) is redacted from the error.
        const why = timeout.signal.aborted ? `context deadline exceeded: configured webhook timeout reached (${formatGoDuration(config.timeout)})` : (err as Error).message.replaceAll(url, '<redacted>');
        throw notifyError(`Post "<redacted>": ${why}`, true, 'other', err);
      } finally {
        timer?.cancel();
      }
    },
    close: () => client.close(),
  };
};
