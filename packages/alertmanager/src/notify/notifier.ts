import type { NotificationTemplates } from '@pyrometer/template';
import type { Logger } from '@pyrometer/telemetry';
import type { Alert } from '../alerts/alert.js';
import type { Clock } from '../clock.js';
import { AlertmanagerError } from '../errors.js';
import { INTEGRATION_TYPES, type IntegrationConfigs, type IntegrationType, type ReceiverConfig } from '../config/receivers/receiver.js';
import { limitConcurrency, NOTIFICATIONS_IN_FLIGHT } from './concurrency-limit.js';
import type { NotifyContext } from './context.js';
import type { TemplateDataBuilder } from './template-data.js';

/** Why a notification failed, as `alertmanager_notifications_failed_total{reason}` counts it. */
export type FailureReason = 'other' | 'clientError' | 'serverError' | 'contextCanceled' | 'contextDeadlineExceeded';

/** The `reason` for an HTTP status: 4xx client, 5xx server, else other. */
export function reasonOf(statusCode: number): FailureReason {
  return statusCode >= 400 && statusCode < 500 ? 'clientError' : statusCode >= 500 && statusCode < 600 ? 'serverError' : 'other';
}

/** A failed notification: `retryable` (5xx, network) or not (4xx), and why, for the metrics. */
export function notifyError(message: string, retryable: boolean, reason: FailureReason = 'other', cause?: unknown): AlertmanagerError {
  return new AlertmanagerError('notify', message, { retryable, reason, ...(cause === undefined ? {} : { cause }) });
}

/**
 * One integration's sender (`notify.Notifier`), e.g. a webhook or an email sender. `notify`
 * delivers one notification for the given alerts (the pipeline already dropped resolved ones when
 * the integration does not send them) and resolves when the receiver accepted it. On failure it
 * rejects with a `notify` {@link AlertmanagerError} whose `retryable` tells the retry stage
 * whether to try again. It must honour `ctx.signal`. Notifiers are built per config load and
 * `close`d when a reload replaces them.
 */
export interface Notifier {
  notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void>;
  close?(): Promise<void>;
}

/** What an integration factory gets besides its own config. */
export interface IntegrationDeps {
  /** Builds upstream's template `Data` (receiver, status, alerts, common labels, external URL). */
  readonly templateData: TemplateDataBuilder;
  /** The built-in templates and the config's `templates:` files, to render the integration's texts. */
  readonly templates: NotificationTemplates;
  /** Tagged with the notifier's `receiver` and `integration` (`slack[0]`) when the registry builds it. */
  readonly logger: Logger;
  readonly clock: Clock;
  /** `Alertmanager/<version>`, sent as User-Agent. */
  readonly userAgent: string;
}

/** Builds the notifier of one config entry; may throw `invalid_config` (e.g. unreadable TLS files). */
export type IntegrationFactory<K extends IntegrationType> = (config: IntegrationConfigs[K], deps: IntegrationDeps) => Notifier | Promise<Notifier>;

/** One configured integration of a receiver (`notify.Integration`): `webhook[0]`, `email[1]`, … */
export interface Integration {
  readonly type: IntegrationType;
  /** Position among the receiver's configs of this type. */
  readonly index: number;
  readonly receiverName: string;
  readonly sendResolved: boolean;
  readonly notifier: Notifier;
}

/** The config file key of an integration type, e.g. `slack_configs`. */
const configKey = (type: IntegrationType) => `${type}_configs`;

/**
 * Integration types and how to build them. The Alertmanager builds each receiver's integrations
 * through a registry; a receiver using a type nobody registered is refused by name when it is
 * built (a config load fails rather than dropping the receiver). Other integrations plug in with
 * `register` (see the package README).
 */
export class IntegrationRegistry {
  private readonly factories = new Map<IntegrationType, IntegrationFactory<IntegrationType>>();

  register<K extends IntegrationType>(type: K, factory: IntegrationFactory<K>): this {
    this.factories.set(type, factory as unknown as IntegrationFactory<IntegrationType>);
    return this;
  }

  supports(type: IntegrationType): boolean {
    return this.factories.has(type);
  }

  /** The receiver's integrations in upstream's order (webhook, email, pagerduty, …), each type numbered from 0. */
  async build(receiver: ReceiverConfig, deps: IntegrationDeps): Promise<Integration[]> {
    const out: Integration[] = [];
    for (const type of INTEGRATION_TYPES) {
      const configs = receiver[type] as IntegrationConfigs[IntegrationType][];
      if (configs.length === 0) continue;
      const factory = this.factories.get(type);
      if (factory === undefined) throw new AlertmanagerError('invalid_config', `receiver ${JSON.stringify(receiver.name)}: ${configKey(type)} are not supported by this Alertmanager yet (supported: ${[...this.factories.keys()].map(configKey).join(', ')})`);
      for (const [index, config] of configs.entries()) {
        // Each notifier logs with its receiver and integration, as upstream's do.
        const logger = deps.logger.with({ receiver: receiver.name, integration: `${type}[${index}]` });
        let notifier: Notifier;
        try {
          notifier = await factory(config, { ...deps, logger });
        } catch (err) {
          throw new AlertmanagerError('invalid_config', `receiver ${JSON.stringify(receiver.name)}: ${configKey(type)}[${index}]: ${(err as Error).message}`, { cause: err });
        }
        out.push({ type, index, receiverName: receiver.name, sendResolved: config.sendResolved, notifier: limitConcurrency(notifier, NOTIFICATIONS_IN_FLIGHT) });
      }
    }
    return out;
  }
}
