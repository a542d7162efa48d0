import type { YamlReader, YNode } from '@pyrometer/config';
import { httpConfigField, urlField } from '../common-fields.js';
import { bool, custom, emitStruct, goDuration, modelDuration, readStruct, schema, secret, str, strList, strMap, structList } from '../schema.js';
import { anyMap, exclusive, goStruct, sendResolved, tmpl } from './shared.js';

const pagerdutyImage = schema('config.PagerdutyImage', { src: str('src', { omitEmpty: true }), alt: str('alt', { omitEmpty: true }), href: str('href', { omitEmpty: true }) });
const pagerdutyLink = schema('config.PagerdutyLink', { href: str('href', { omitEmpty: true }), text: str('text', { omitEmpty: true }) });

/** Upstream's default `details` of a PagerDuty config; keys the user sets win. */
const PAGERDUTY_DETAILS: Record<string, string> = {
  firing: '{{ template "pagerduty.default.instances" .Alerts.Firing }}',
  resolved: '{{ template "pagerduty.default.instances" .Alerts.Resolved }}',
  num_firing: '{{ .Alerts.Firing | len }}',
  num_resolved: '{{ .Alerts.Resolved | len }}',
};

/** `pagerduty_configs` entries. */
export const pagerdutySchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(true),
    httpConfig: httpConfigField('http_config'),
    serviceKey: secret('service_key', { omitEmpty: true }),
    serviceKeyFile: str('service_key_file', { omitEmpty: true }),
    routingKey: secret('routing_key', { omitEmpty: true }),
    routingKeyFile: str('routing_key_file', { omitEmpty: true }),
    url: urlField('url'),
    client: str('client', { omitEmpty: true, initial: tmpl('pagerduty.default.client') }),
    clientUrl: str('client_url', { omitEmpty: true, initial: tmpl('pagerduty.default.clientURL') }),
    // Upstream's default has no space before `}}` here, unlike its others.
    description: str('description', { omitEmpty: true, initial: '{{ template "pagerduty.default.description" .}}' }),
    details: strMap('details', { omitEmpty: true }),
    images: structList('images', pagerdutyImage, { omitEmpty: true }),
    links: structList('links', pagerdutyLink, { omitEmpty: true }),
    source: str('source', { omitEmpty: true }),
    severity: str('severity', { omitEmpty: true }),
    class: str('class', { omitEmpty: true }),
    component: str('component', { omitEmpty: true }),
    group: str('group', { omitEmpty: true }),
  },
  (c, r, node) => {
    if (c.routingKey === '' && c.serviceKey === '' && c.routingKeyFile === '' && c.serviceKeyFile === '') throw r.error(node, 'missing service or routing key in PagerDuty config');
    exclusive(r, node, ['routing_key', c.routingKey !== ''], ['routing_key_file', c.routingKeyFile !== '']);
    exclusive(r, node, ['service_key', c.serviceKey !== ''], ['service_key_file', c.serviceKeyFile !== '']);
    if (c.source === '') c.source = c.client;
    c.details = { ...PAGERDUTY_DETAILS, ...c.details };
  },
);

const opsgenieResponder = schema('config.OpsGenieConfigResponder', {
  id: str('id', { omitEmpty: true }),
  name: str('name', { omitEmpty: true }),
  username: str('username', { omitEmpty: true }),
  type: str('type', { omitEmpty: true }),
});

/** `opsgenie_configs` entries. */
export const opsgenieSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(true),
    httpConfig: httpConfigField('http_config'),
    apiKey: secret('api_key', { omitEmpty: true }),
    apiKeyFile: str('api_key_file', { omitEmpty: true }),
    apiUrl: urlField('api_url'),
    message: str('message', { omitEmpty: true, initial: tmpl('opsgenie.default.message') }),
    description: str('description', { omitEmpty: true, initial: tmpl('opsgenie.default.description') }),
    source: str('source', { omitEmpty: true, initial: tmpl('opsgenie.default.source') }),
    details: strMap('details', { omitEmpty: true }),
    entity: str('entity', { omitEmpty: true }),
    responders: structList('responders', opsgenieResponder, { omitEmpty: true }),
    actions: str('actions', { omitEmpty: true }),
    tags: str('tags', { omitEmpty: true }),
    note: str('note', { omitEmpty: true }),
    priority: str('priority', { omitEmpty: true }),
    updateAlerts: bool('update_alerts', { omitEmpty: true }),
  },
  (c, r, node) => {
    exclusive(r, node, ['api_key', c.apiKey !== ''], ['api_key_file', c.apiKeyFile !== '']);
    for (const x of c.responders) {
      const printed = goStruct(x.id, x.name, x.username, x.type);
      if (x.id === '' && x.username === '' && x.name === '') throw r.error(node, `opsGenieConfig responder ${printed} has to have at least one of id, username or name specified`);
      // A templated type is checked when it is rendered; a literal one must be a known kind.
      if (!x.type.includes('{{') && !/^(team|teams|user|escalation|schedule)$/.test(x.type.toLowerCase())) {
        throw r.error(node, `opsGenieConfig responder ${printed} type does not match valid options ^(team|teams|user|escalation|schedule)$`);
      }
    }
  },
);

const VICTOROPS_RESERVED = ['routing_key', 'message_type', 'state_message', 'entity_display_name', 'monitoring_tool', 'entity_id', 'entity_state'];

/** `victorops_configs` entries. */
export const victoropsSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(true),
    httpConfig: httpConfigField('http_config'),
    apiKey: secret('api_key', { omitEmpty: true }),
    apiKeyFile: str('api_key_file', { omitEmpty: true }),
    apiUrl: urlField('api_url', { omitEmpty: false }),
    routingKey: str('routing_key'),
    messageType: str('message_type', { initial: 'CRITICAL' }),
    stateMessage: str('state_message', { initial: tmpl('victorops.default.state_message') }),
    entityDisplayName: str('entity_display_name', { initial: tmpl('victorops.default.entity_display_name') }),
    monitoringTool: str('monitoring_tool', { initial: tmpl('victorops.default.monitoring_tool') }),
    customFields: strMap('custom_fields', { omitEmpty: true }),
  },
  (c, r, node) => {
    if (c.routingKey === '') throw r.error(node, 'missing Routing key in VictorOps config');
    exclusive(r, node, ['api_key', c.apiKey !== ''], ['api_key_file', c.apiKeyFile !== '']);
    for (const f of VICTOROPS_RESERVED) {
      if (f in c.customFields) throw r.error(node, `victorOps config contains custom field ${f} which cannot be used as it conflicts with the fixed/static fields`);
    }
  },
);

/** `pushover_configs` entries. */
export const pushoverSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(true),
    httpConfig: httpConfigField('http_config'),
    userKey: secret('user_key', { omitEmpty: true }),
    userKeyFile: str('user_key_file', { omitEmpty: true }),
    token: secret('token', { omitEmpty: true }),
    tokenFile: str('token_file', { omitEmpty: true }),
    title: str('title', { omitEmpty: true, initial: tmpl('pushover.default.title') }),
    message: str('message', { omitEmpty: true, initial: tmpl('pushover.default.message') }),
    url: str('url', { omitEmpty: true, initial: tmpl('pushover.default.url') }),
    urlTitle: str('url_title', { omitEmpty: true }),
    device: str('device', { omitEmpty: true }),
    sound: str('sound', { omitEmpty: true }),
    priority: str('priority', { omitEmpty: true, initial: '{{ if eq .Status "firing" }}2{{ else }}0{{ end }}' }),
    retry: goDuration('retry', { omitEmpty: true, initial: 60_000 }),
    expire: goDuration('expire', { omitEmpty: true, initial: 3_600_000 }),
    ttl: goDuration('ttl', { omitEmpty: true }),
    html: bool('html'),
  },
  (c, r, node) => {
    exclusive(r, node, ['user_key', c.userKey !== ''], ['user_key_file', c.userKeyFile !== ''], 'one of user_key or user_key_file must be configured');
    exclusive(r, node, ['token', c.token !== ''], ['token_file', c.tokenFile !== ''], 'one of token or token_file must be configured');
  },
);

const sigv4Schema = schema(
  'sigv4.plain',
  {
    region: str('region', { omitEmpty: true }),
    accessKey: str('access_key', { omitEmpty: true }),
    secretKey: secret('secret_key', { omitEmpty: true }),
    profile: str('profile', { omitEmpty: true }),
    roleArn: str('role_arn', { omitEmpty: true }),
  },
  (c, r, node) => {
    if ((c.accessKey === '') !== (c.secretKey === '')) throw r.error(node, 'must provide a AWS SigV4 Access key and Secret Key if credentials are specified in the SigV4 config');
  },
);

/** `sns_configs` entries. */
export const snsSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(true),
    httpConfig: httpConfigField('http_config'),
    apiUrl: str('api_url', { omitEmpty: true }),
    sigv4: custom('sigv4', () => ({ region: '', accessKey: '', secretKey: '', profile: '', roleArn: '' }), (r, n) => readSigv4(r, n), (v) => emitSigv4(v)),
    topicArn: str('topic_arn', { omitEmpty: true }),
    phoneNumber: str('phone_number', { omitEmpty: true }),
    targetArn: str('target_arn', { omitEmpty: true }),
    subject: str('subject', { omitEmpty: true, initial: tmpl('sns.default.subject') }),
    message: str('message', { omitEmpty: true, initial: tmpl('sns.default.message') }),
    attributes: strMap('attributes', { omitEmpty: true }),
  },
  (c, r, node) => {
    // Upstream's check, a chained inequality: true when one or all three are set.
    if (((c.targetArn === '') !== (c.topicArn === '')) !== (c.phoneNumber === '')) throw r.error(node, 'must provide either a Target ARN, Topic ARN, or Phone Number for SNS config');
  },
);

function readSigv4(r: YamlReader, n: YNode) {
  return readStruct(r, n, sigv4Schema);
}

function emitSigv4(v: ReturnType<typeof readSigv4>) {
  return emitStruct(sigv4Schema, v);
}

/** `jira_configs` entries. */
export const jiraSchema = schema(
  'config.plain',
  {
    sendResolved: sendResolved(true),
    httpConfig: httpConfigField('http_config'),
    apiUrl: urlField('api_url'),
    project: str('project', { omitEmpty: true }),
    summary: str('summary', { omitEmpty: true, initial: tmpl('jira.default.summary') }),
    description: str('description', { omitEmpty: true, initial: tmpl('jira.default.description') }),
    labels: strList('labels', { omitEmpty: true }),
    priority: str('priority', { omitEmpty: true, initial: tmpl('jira.default.priority') }),
    issueType: str('issue_type', { omitEmpty: true }),
    reopenTransition: str('reopen_transition', { omitEmpty: true }),
    resolveTransition: str('resolve_transition', { omitEmpty: true }),
    wontFixResolution: str('wont_fix_resolution', { omitEmpty: true }),
    reopenDuration: modelDuration('reopen_duration'),
    fields: anyMap('fields'),
  },
  (c, r, node) => {
    if (c.project === '') throw r.error(node, 'missing project in jira_config');
    if (c.issueType === '') throw r.error(node, 'missing issue_type in jira_config');
  },
);
