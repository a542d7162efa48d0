import { httpConfigField, secretUrlField } from '../common-fields.js';
import { bool, optionalBool, optionalStruct, schema, str, strList, structList } from '../schema.js';
import { exclusive, sendResolved, tmpl } from './shared.js';

const slackField = schema(
  'config.plain',
  { title: str('title', { omitEmpty: true }), value: str('value', { omitEmpty: true }), short: optionalBool('short') },
  (f, r, node) => {
    if (f.title === '') throw r.error(node, 'missing title in Slack field configuration');
    if (f.value === '') throw r.error(node, 'missing value in Slack field configuration');
  },
);

const slackConfirm = schema(
  'config.plain',
  { text: str('text', { omitEmpty: true }), title: str('title', { omitEmpty: true }), okText: str('ok_text', { omitEmpty: true }), dismissText: str('dismiss_text', { omitEmpty: true }) },
  (c, r, node) => {
    if (c.text === '') throw r.error(node, 'missing text in Slack confirmation configuration');
  },
);

const slackAction = schema(
  'config.plain',
  {
    type: str('type', { omitEmpty: true }),
    text: str('text', { omitEmpty: true }),
    url: str('url', { omitEmpty: true }),
    style: str('style', { omitEmpty: true }),
    name: str('name', { omitEmpty: true }),
    value: str('value', { omitEmpty: true }),
    confirm: optionalStruct('confirm', slackConfirm),
  },
  (a, r, node) => {
    if (a.type === '') throw r.error(node, 'missing type in Slack action configuration');
    if (a.text === '') throw r.error(node, 'missing text in Slack action configuration');
    if (a.url !== '') {
      a.name = '';
      a.value = '';
      a.confirm = undefined;
    } else if (a.name === '') throw r.error(node, 'missing name or url in Slack action configuration');
  },
);

/** `slack_configs` entries (`config.SlackConfig`). */
export const slackSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(false),
    httpConfig: httpConfigField('http_config'),
    apiUrl: secretUrlField('api_url', { omitEmpty: true }),
    apiUrlFile: str('api_url_file', { omitEmpty: true }),
    channel: str('channel', { omitEmpty: true }),
    username: str('username', { omitEmpty: true, initial: tmpl('slack.default.username') }),
    color: str('color', { omitEmpty: true, initial: '{{ if eq .Status "firing" }}danger{{ else }}good{{ end }}' }),
    title: str('title', { omitEmpty: true, initial: tmpl('slack.default.title') }),
    titleLink: str('title_link', { omitEmpty: true, initial: tmpl('slack.default.titlelink') }),
    pretext: str('pretext', { omitEmpty: true, initial: tmpl('slack.default.pretext') }),
    text: str('text', { omitEmpty: true, initial: tmpl('slack.default.text') }),
    fields: structList('fields', slackField, { omitEmpty: true }),
    shortFields: bool('short_fields'),
    footer: str('footer', { omitEmpty: true, initial: tmpl('slack.default.footer') }),
    fallback: str('fallback', { omitEmpty: true, initial: tmpl('slack.default.fallback') }),
    callbackId: str('callback_id', { omitEmpty: true, initial: tmpl('slack.default.callbackid') }),
    iconEmoji: str('icon_emoji', { omitEmpty: true, initial: tmpl('slack.default.iconemoji') }),
    iconUrl: str('icon_url', { omitEmpty: true, initial: tmpl('slack.default.iconurl') }),
    imageUrl: str('image_url', { omitEmpty: true }),
    thumbUrl: str('thumb_url', { omitEmpty: true }),
    linkNames: bool('link_names'),
    mrkdwnIn: strList('mrkdwn_in', { omitEmpty: true }),
    actions: structList('actions', slackAction, { omitEmpty: true }),
  },
  (c, r, node) => {
    exclusive(r, node, ['api_url', c.apiUrl !== undefined], ['api_url_file', c.apiUrlFile !== '']);
  },
);
