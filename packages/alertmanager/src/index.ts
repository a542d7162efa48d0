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
export { Alertmanager, type AlertmanagerOptions } from './alertmanager.js';
export { AlertmanagerApi, API_ROUTES, type ApiOptions, type ApiRoute } from './api/v2.js';
export { type Query } from './api/params.js';
export { type VersionInfo } from './api/models.js';
export { type Alert, newAlert } from './alerts/alert.js';
export { type AlertListener, type AlertProvider } from './alerts/provider.js';
export { MemoryAlertProvider } from './alerts/memory-provider.js';
export { type AlertState, type AlertStatus, Marker } from './alerts/marker.js';
export { ManualClock, sleep, systemClock, type Clock, type Timer } from './clock.js';
export { builtinIntegrations } from './notify/builtins.js';
export { type NotifyContext } from './notify/context.js';
export { IntegrationRegistry, notifyError, reasonOf, type FailureReason, type Integration, type IntegrationDeps, type IntegrationFactory, type Notifier } from './notify/notifier.js';
export { templateDataBuilder, type TemplateDataBuilder } from './notify/template-data.js';
export { webhookIntegration, webhookPayload } from './notify/webhook.js';
export { type NflogEntry, type NflogReceiver, type StoredEntry } from './nflog/entry.js';
export { NotificationLog, type NotificationClaim, type NotificationClaimResult } from './nflog/nflog.js';
export { nflogEntryCodec } from './nflog/codec.js';
export { type Silence, type SilenceState, type StoredSilence } from './silences/silence.js';
export { Silences, type SilenceInput, type SilenceLimits } from './silences/silences.js';
export { silenceCodec } from './silences/codec.js';
export { FileStateStore, MemoryStateStore } from './state/file-store.js';
export { type Claim, type ClaimResult, type StateStore } from './state/state-store.js';
export { type RecordCodec } from './state/mesh-snapshot.js';
export { defaultRedisStateOptions, RedisState, type RedisStateOptions } from './state/redis/redis-state.js';
export { redisStateOptions } from './state/redis/shared-options.js';
export { type GroupTimerStore } from './dispatch/group-timer-store.js';
export { formatRfc3339Millis, formatRfc3339Nano, parseRfc3339, ZERO_TIME } from './time/instant.js';
