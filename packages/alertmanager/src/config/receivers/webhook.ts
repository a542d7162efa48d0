import { httpConfigField, REDACTED_WEBHOOK_URL, secretUrlField } from '../common-fields.js';
import { goDuration, schema, str, uint } from '../schema.js';
import { exclusive, sendResolved } from './shared.js';

/** `webhook_configs` entries (`config.WebhookConfig`). */
export const webhookSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(true),
    httpConfig: httpConfigField('http_config'),
    url: secretUrlField('url', { redactedAs: REDACTED_WEBHOOK_URL }),
    urlFile: str('url_file', { newer: true }),
    maxAlerts: uint('max_alerts'),
    timeout: goDuration('timeout', { newer: true }),
  },
  (c, r, node) => {
    exclusive(r, node, ['url', c.url !== undefined], ['url_file', c.urlFile !== ''], 'one of url or url_file must be configured');
  },
);
