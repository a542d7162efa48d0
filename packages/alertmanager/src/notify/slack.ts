import { goQuote } from '@pyrometer/model';
import type { Alert } from '../alerts/alert.js';
import type { SlackConfig } from '../config/receivers/receiver.js';
import type { NotifyContext } from './context.js';
import { checkStatus, integrationHttpClient, type PostAnswer, postJson } from './http-post.js';
import { notifyError, type IntegrationDeps, type IntegrationFactory, type Notifier } from './notifier.js';
import { encodeJson, omitEmpty, struct } from './payload.js';
import { prefixed, readSecretFile, rendering, type Render } from './render.js';
import { truncateLogged } from './truncate.js';

/** Slack's limit for an attachment title (runes). */
const MAX_TITLE_RUNES = 1024;

type Action = SlackConfig['actions'][number];

async function renderAction(a: Action, text: Render) {
  const confirm = a.confirm && struct({ text: omitEmpty(await text(a.confirm.text)), title: omitEmpty(await text(a.confirm.title)), ok_text: omitEmpty(await text(a.confirm.okText)), dismiss_text: omitEmpty(await text(a.confirm.dismissText)) });
  return struct({
    type: omitEmpty(await text(a.type)),
    text: omitEmpty(await text(a.text)),
    url: omitEmpty(await text(a.url)),
    style: omitEmpty(await text(a.style)),
    name: omitEmpty(await text(a.name)),
    value: omitEmpty(await text(a.value)),
    confirm: confirm,
  });
}

/** The message (`chat.postMessage` / incoming-webhook body): one attachment built from the config's templates. */
async function slackMessage(config: SlackConfig, text: Render, logger: IntegrationDeps['logger'], groupKey: string) {
  const fields = [];
  for (const f of config.fields) fields.push(struct({ title: omitEmpty(await text(f.title)), value: omitEmpty(await text(f.value)), short: f.short ?? config.shortFields }));
  const actions = [];
  for (const a of config.actions) actions.push(await renderAction(a, text));
  const attachment = struct({
    title: omitEmpty(truncateLogged(await text(config.title), MAX_TITLE_RUNES, logger, 'title', { key: groupKey })),
    title_link: omitEmpty(await text(config.titleLink)),
    pretext: omitEmpty(await text(config.pretext)),
    text: await text(config.text),
    fallback: await text(config.fallback),
    callback_id: await text(config.callbackId),
    fields: fields.length > 0 ? fields : undefined,
    actions: actions.length > 0 ? actions : undefined,
    image_url: omitEmpty(await text(config.imageUrl)),
    thumb_url: omitEmpty(await text(config.thumbUrl)),
    footer: await text(config.footer),
    color: omitEmpty(await text(config.color)),
    mrkdwn_in: config.mrkdwnIn.length > 0 ? config.mrkdwnIn : ['fallback', 'pretext', 'text'],
  });
  const channel = await text(config.channel);
  const message = struct({
    channel: omitEmpty(channel),
    username: omitEmpty(await text(config.username)),
    icon_emoji: omitEmpty(await text(config.iconEmoji)),
    icon_url: omitEmpty(await text(config.iconUrl)),
    link_names: config.linkNames ? true : undefined,
    attachments: [attachment],
  });
  return { channel, body: encodeJson(message) };
}

/**
 * Slack answers 2xx with errors too: a JSON answer must say `"ok": true`, any other answer must
 * be the text `ok` (incoming webhooks). Such failures are not retried.
 */
function checkSlackAnswer(answer: PostAnswer): void {
  if (answer.contentType.startsWith('application/json')) {
    let parsed: { ok?: unknown; error?: unknown };
    try {
      parsed = JSON.parse(answer.body) as { ok?: unknown; error?: unknown };
    } catch (err) {
      throw notifyError(`could not unmarshal JSON response ${JSON.stringify(answer.body)}: ${(err as Error).message}`, true, 'clientError', err);
    }
    if (parsed.ok !== true) throw notifyError(`error response from Slack: ${typeof parsed.error === 'string' ? parsed.error : ''}`, false, 'clientError');
    return;
  }
  if (answer.body !== 'ok') throw notifyError(`received an error response from Slack: ${answer.body}`, false, 'clientError');
}

/** The Slack integration (`notify/slack`): POSTs one attachment to `api_url` (or the URL in `api_url_file`). */
export const slackIntegration: IntegrationFactory<'slack'> = async (config: SlackConfig, deps: IntegrationDeps): Promise<Notifier> => {
  const client = await integrationHttpClient(config.httpConfig);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
      const { text } = rendering(deps, ctx, alerts);
      const { channel, body } = await slackMessage(config, text, deps.logger, ctx.groupKey);
      const url = config.apiUrl ?? (await readSecretFile(config.apiUrlFile, 'read api_url_file'));
      const answer = await postJson(client, url, body, { userAgent: deps.userAgent, signal: ctx.signal, redactUrl: true });
      try {
        const failure = checkStatus({}, answer.statusCode, answer.body);
        if (failure !== undefined) throw failure;
        checkSlackAnswer(answer);
      } catch (err) {
        throw prefixed(err, `channel ${goQuote(channel)}: `);
      }
    },
    close: () => client.close(),
  };
};
