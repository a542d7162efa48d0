import { describe, expect, it } from 'vitest';
import { AlertmanagerError } from '../errors.js';
import { parseAlertmanagerConfig } from './load.js';

const receivers = 'receivers: [{name: a}, {name: b}]\n';
const parse = (text: string, matcherMode: 'fallback' | 'classic' = 'fallback') => parseAlertmanagerConfig(text, 'am.yml', { matcherMode });

function detail(text: string, matcherMode: 'fallback' | 'classic' = 'fallback'): string {
  try {
    parse(text, matcherMode);
  } catch (err) {
    expect(err).toBeInstanceOf(AlertmanagerError);
    return (err as AlertmanagerError).detail;
  }
  throw new Error('expected the config to be rejected');
}

// Upstream's messages (config/config.go, config/config_test.go, timeinterval).
describe('alertmanager.yml validation', () => {
  it.each([
    { name: 'empty file', text: '', error: 'no route provided in config' },
    { name: 'no route', text: receivers, error: 'no routes provided' },
    { name: 'root without receiver', text: 'route: {group_by: [a]}\n' + receivers, error: 'root route must specify a default receiver' },
    { name: 'root with matchers', text: 'route: {receiver: a, matchers: [x="y"]}\n' + receivers, error: 'root route must not have any matchers' },
    { name: 'root with match', text: 'route: {receiver: a, match: {x: y}}\n' + receivers, error: 'root route must not have any matchers' },
    { name: 'root with mute intervals', text: 'route: {receiver: a, mute_time_intervals: [t]}\ntime_intervals: [{name: t, time_intervals: []}]\n' + receivers, error: 'root route must not have any mute time intervals' },
    { name: 'continue in root', text: 'route: {receiver: a, continue: true}\n' + receivers, error: 'cannot have continue in root route' },
    { name: 'undefined receiver', text: 'route: {receiver: a, routes: [{receiver: c}]}\n' + receivers, error: 'undefined receiver "c" used in route' },
    { name: 'undefined time interval', text: 'route: {receiver: a, routes: [{active_time_intervals: [x]}]}\n' + receivers, error: 'undefined time interval "x" used in route' },
    { name: 'wildcard and labels', text: 'route: {receiver: a, group_by: [..., x]}\n' + receivers, error: 'cannot have wildcard group_by (`...`) and other other labels at the same time' },
    { name: 'duplicated group_by', text: 'route: {receiver: a, group_by: [x, x]}\n' + receivers, error: 'duplicated label "x" in group_by' },
    { name: 'zero group_interval', text: 'route: {receiver: a, group_interval: 0s}\n' + receivers, error: 'group_interval cannot be zero' },
    { name: 'zero repeat_interval', text: 'route: {receiver: a, repeat_interval: 0s}\n' + receivers, error: 'repeat_interval cannot be zero' },
    { name: 'duplicate receiver', text: 'route: {receiver: a}\nreceivers: [{name: a}, {name: a}]\n', error: 'notification config name "a" is not unique' },
    { name: 'receiver without name', text: 'route: {receiver: a}\nreceivers: [{name: a}, {webhook_configs: [{url: "http://x"}]}]\n', error: 'missing name in receiver' },
    { name: 'webhook with url and url_file', text: 'route: {receiver: a}\nreceivers: [{name: a, webhook_configs: [{url: "http://x", url_file: /f}]}]\n', error: 'at most one of url & url_file must be configured' },
    { name: 'webhook without url', text: 'route: {receiver: a}\nreceivers: [{name: a, webhook_configs: [{}]}]\n', error: 'one of url or url_file must be configured' },
    { name: 'webhook url scheme', text: 'route: {receiver: a}\nreceivers: [{name: a, webhook_configs: [{url: "ftp://x"}]}]\n', error: 'unsupported scheme "ftp" for URL' },
    { name: 'email without to', text: 'global: {smtp_smarthost: "h:25", smtp_from: a@b}\nroute: {receiver: a}\nreceivers: [{name: a, email_configs: [{}]}]\n', error: 'missing to address in email config' },
    { name: 'email without smarthost', text: 'route: {receiver: a}\nreceivers: [{name: a, email_configs: [{to: x@y}]}]\n', error: 'no global SMTP smarthost set' },
    { name: 'slack url and file', text: 'route: {receiver: a}\nreceivers: [{name: a, slack_configs: [{api_url: "http://s", api_url_file: /f}]}]\n', error: 'at most one of api_url & api_url_file must be configured' },
    { name: 'pushover without user key', text: 'route: {receiver: a}\nreceivers: [{name: a, pushover_configs: [{token: t}]}]\n', error: 'one of user_key or user_key_file must be configured' },
    { name: 'telegram without chat', text: 'route: {receiver: a}\nreceivers: [{name: a, telegram_configs: [{bot_token: t}]}]\n', error: 'missing chat_id on telegram_config' },
    { name: 'webex without authorization', text: 'route: {receiver: a}\nreceivers: [{name: a, webex_configs: [{room_id: r}]}]\n', error: 'missing webex_configs.http_config.authorization' },
    { name: 'pagerduty without key', text: 'route: {receiver: a}\nreceivers: [{name: a, pagerduty_configs: [{}]}]\n', error: 'missing service or routing key in PagerDuty config' },
    { name: 'discord without url', text: 'route: {receiver: a}\nreceivers: [{name: a, discord_configs: [{}]}]\n', error: 'one of webhook_url or webhook_url_file must be configured' },
    { name: 'jira without project', text: 'global: {jira_api_url: "http://j"}\nroute: {receiver: a}\nreceivers: [{name: a, jira_configs: [{issue_type: Bug}]}]\n', error: 'missing project in jira_config' },
    { name: 'wechat message type', text: 'global: {wechat_api_secret: s, wechat_api_corp_id: c}\nroute: {receiver: a}\nreceivers: [{name: a, wechat_configs: [{message_type: html}]}]\n', error: 'weChat message type "html" does not match valid options ^(text|markdown)$' },
    { name: 'bad matcher', text: 'route: {receiver: a, routes: [{matchers: ["foo"]}]}\n' + receivers, error: 'bad matcher format: foo' },
    { name: 'bad regex', text: 'route: {receiver: a, routes: [{match_re: {x: "("}}]}\n' + receivers, error: 'error parsing regexp: missing closing ): `^(?:()$`' },
    { name: 'bad match label', text: 'route: {receiver: a, routes: [{match: {"x-y": z}}]}\n' + receivers, error: 'invalid label name "x-y"' },
    { name: 'duplicate time interval', text: 'route: {receiver: a}\ntime_intervals: [{name: t, time_intervals: []}, {name: t, time_intervals: []}]\n' + receivers, error: 'time interval "t" is not unique' },
    { name: 'bad weekday', text: 'route: {receiver: a}\ntime_intervals: [{name: t, time_intervals: [{weekdays: [funday]}]}]\n' + receivers, error: 'funday is not a valid weekday' },
    { name: 'weekday order', text: 'route: {receiver: a}\ntime_intervals: [{name: t, time_intervals: [{weekdays: ["friday:monday"]}]}]\n' + receivers, error: 'start day cannot be before end day' },
    { name: 'bad day of month', text: 'route: {receiver: a}\ntime_intervals: [{name: t, time_intervals: [{days_of_month: ["0"]}]}]\n' + receivers, error: '0 is not a valid day of the month: out of range' },
    { name: 'bad time', text: 'route: {receiver: a}\ntime_intervals: [{name: t, time_intervals: [{times: [{start_time: "25:00", end_time: "26:00"}]}]}]\n' + receivers, error: "couldn't parse timestamp 25:00, invalid format" },
    { name: 'time order', text: 'route: {receiver: a}\ntime_intervals: [{name: t, time_intervals: [{times: [{start_time: "10:00", end_time: "09:00"}]}]}]\n' + receivers, error: 'start time cannot be equal or greater than end time' },
    { name: 'bad location', text: 'route: {receiver: a}\ntime_intervals: [{name: t, time_intervals: [{location: Mars/Olympus}]}]\n' + receivers, error: 'unknown time zone Mars/Olympus' },
    { name: 'unknown field', text: 'route: {receiver: a}\nrecievers: []\n', error: 'yaml: unmarshal errors:\n  line 2: field recievers not found in type config.plain' },
  ])('$name', ({ text, error }) => {
    expect(detail(text)).toBe(error);
  });

  it('checks group_by names with the legacy rules only in classic mode', () => {
    const text = 'route: {receiver: a, group_by: ["the 🙂"]}\n' + receivers;
    expect(() => parse(text)).not.toThrow();
    expect(detail(text, 'classic')).toBe('invalid label name "the 🙂" in group_by list');
  });

  it('names the file, line and column in the message', () => {
    expect(() => parse('route: {receiver: a, routes: [{receiver: c}]}\n' + receivers)).toThrow(/^am\.yml:1:8: undefined receiver "c" used in route$/);
  });

  it('fills receivers from global and hides secrets in config.original', () => {
    const loaded = parse('global: {slack_api_url: "https://hooks.example/secret-token"}\nroute: {receiver: a}\nreceivers: [{name: a, slack_configs: [{channel: "#x"}]}]\n');
    expect(loaded.config.receivers[0]!.slack[0]!.apiUrl).toBe('https://hooks.example/secret-token');
    expect(loaded.original).not.toContain('secret-token');
    expect(loaded.original).toContain('api_url: <secret>');
  });

  it('reads config.original back to the same config', () => {
    const first = parse('route: {receiver: a, group_by: [x], routes: [{matchers: [y=~"a|b"], receiver: b, continue: true}]}\n' + 'receivers: [{name: a, webhook_configs: [{url: "http://h/p", max_alerts: 3}]}, {name: b}]\ntime_intervals: [{name: t, time_intervals: [{weekdays: ["monday:friday"], days_of_month: ["1", "-3:-1"], times: [{start_time: "09:00", end_time: "17:30"}], location: Europe/Berlin}]}]\n');
    const again = parse(first.original.replace('url: <secret>', 'url: http://h/p'));
    expect(again.original).toBe(first.original);
    expect(first.original).toContain("weekdays: ['monday:friday']");
    expect(first.original).toContain(`days_of_month: ["1", '-3:-1']`);
  });
});
