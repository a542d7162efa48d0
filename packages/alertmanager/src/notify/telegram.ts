import type { Alert } from '../alerts/alert.js';
import type { TelegramConfig } from '../config/receivers/receiver.js';
import type { NotifyContext } from './context.js';
import { integrationHttpClient, postJson } from './http-post.js';
import { notifyError, type IntegrationDeps, type IntegrationFactory, type Notifier } from './notifier.js';
import { encodeJson } from './payload.js';
import { readSecretFile, rendering } from './render.js';
import { truncateLogged } from './truncate.js';

/** Telegram's limit for a message (runes). */
const MAX_MESSAGE_RUNES = 4096;

/**
 * `sendMessage` parameters as telebot sends them: a JSON object of strings (Go encodes the map
 * with its keys sorted).
 */
function sendMessageParams(config: TelegramConfig, message: string): Record<string, string> {
  const params: Record<string, string> = { chat_id: String(config.chatId), text: message, disable_web_page_preview: 'true' };
  if (config.disableNotifications) params['disable_notification'] = 'true';
  if (config.parseMode !== '') params['parse_mode'] = config.parseMode;
  if (config.messageThreadId !== 0) params['message_thread_id'] = String(config.messageThreadId);
  return params;
}

/**
 * Telegram answers `{"ok":true,"result":…}`, or `{"ok":false,"error_code":N,"description":…}`
 * whatever the HTTP status; telebot reads only the body.
 */
function checkTelegramAnswer(body: string): void {
  let parsed: { ok?: unknown; error_code?: unknown; description?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch (err) {
    throw notifyError(`telebot: ${(err as Error).message}`, true, 'other', err);
  }
  if (parsed.ok === true) return;
  const description = typeof parsed.description === 'string' ? parsed.description : '';
  const parts = description.split(': ');
  throw notifyError(`telegram: ${parts.length === 2 ? parts[1] : description} (${typeof parsed.error_code === 'number' ? parsed.error_code : 0})`, true);
}

/**
 * The Telegram integration (`notify/telegram`): `POST <api_url>/bot<token>/sendMessage`. With
 * `parse_mode: HTML` the message renders with HTML escaping. Upstream retries every failure.
 */
export const telegramIntegration: IntegrationFactory<'telegram'> = async (config: TelegramConfig, deps: IntegrationDeps): Promise<Notifier> => {
  const client = await integrationHttpClient(config.httpConfig);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
      const { text, html } = rendering(deps, ctx, alerts);
      const render = config.parseMode === 'HTML' ? html : text;
      const message = truncateLogged(await render(config.message), MAX_MESSAGE_RUNES, deps.logger, 'message', { alert: ctx.groupKey });
      const token = config.botToken !== '' ? config.botToken : await readSecretFile(config.botTokenFile, `could not read ${config.botTokenFile}`, true);
      const url = `${config.apiUrl ?? ''}/bot${token}/sendMessage`;
      const answer = await postJson(client, url, encodeJson(sendMessageParams(config, message)), { userAgent: deps.userAgent, signal: ctx.signal, redactUrl: true });
      checkTelegramAnswer(answer.body);
    },
    close: () => client.close(),
  };
};
