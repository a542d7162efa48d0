export { postableAlertsJson, type Alert } from './alert.js';
export type { AlertmanagerSetConfig, TargetGroup } from './alertmanager-set.js';
export { NotifierError, type NotifierErrorCode } from './errors.js';
export { alertmanagerSetName, defaultNotifierOptions, Notifier, type NotifierConfig, type NotifierOptions } from './notifier.js';
export { sendAlerts, tableLinkForExpression, type AlertSender, type RuleAlert } from './send-alerts.js';
