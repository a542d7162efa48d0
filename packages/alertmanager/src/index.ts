export { AlertmanagerError, type AlertmanagerErrorCode } from './errors.js';
export { fingerprint } from './labels/fingerprint.js';
export { compareMatchers, formatMatchers, Matcher, matchesAll, MatchType } from './labels/matcher.js';
export { matcherParser, type FallbackListener, type MatcherMode, type MatcherParser } from './labels/parse.js';
export { type AlertmanagerConfig, type GlobalConfig } from './config/config.js';
export { loadAlertmanagerConfig, parseAlertmanagerConfig, type ConfigLoadOptions, type LoadedConfig } from './config/load.js';
export { type InhibitRuleConfig } from './config/inhibit.js';
export { type RouteConfig } from './config/route.js';
export { type NamedTimeInterval } from './config/time-intervals.js';
export {
  INTEGRATION_TYPES,
  type DiscordConfig,
  type EmailConfig,
  type IntegrationConfigs,
  type IntegrationType,
  type JiraConfig,
  type MsteamsConfig,
  type MsteamsV2Config,
  type OpsgenieConfig,
  type PagerdutyConfig,
  type PushoverConfig,
  type ReceiverConfig,
  type RocketchatConfig,
  type SlackConfig,
  type SnsConfig,
  type TelegramConfig,
  type VictoropsConfig,
  type WebexConfig,
  type WechatConfig,
  type WebhookConfig,
} from './config/receivers/receiver.js';
export { DEFAULT_GROUP_INTERVAL, DEFAULT_GROUP_WAIT, DEFAULT_REPEAT_INTERVAL, Route, type RouteOpts } from './dispatch/route.js';
export { activeIntervals, containsTime, type InclusiveRange, type TimeInterval, type TimeRange } from './time/time-interval.js';
