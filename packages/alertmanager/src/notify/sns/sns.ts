import type { Alert } from '../../alerts/alert.js';
import type { SnsConfig } from '../../config/receivers/receiver.js';
import { AlertmanagerError } from '../../errors.js';
import type { NotifyContext } from '../context.js';
import { checkStatus, integrationHttpClient, postJson } from '../http-post.js';
import { notifyError, type IntegrationDeps, type IntegrationFactory, type Notifier } from '../notifier.js';
import { encodeQuery } from '../payload.js';
import { rendering } from '../render.js';
import { publishParams } from './publish.js';

/** AWS credentials for signing. */
interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The static keys of `sigv4`, else the environment's (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`). */
function credentials(config: SnsConfig): Credentials | undefined {
  if (config.sigv4.accessKey !== '' && config.sigv4.secretKey !== '') return { accessKeyId: config.sigv4.accessKey, secretAccessKey: config.sigv4.secretKey };
  const env = process.env;
  const accessKeyId = env['AWS_ACCESS_KEY_ID'] ?? env['AWS_ACCESS_KEY'] ?? '';
  const secretAccessKey = env['AWS_SECRET_ACCESS_KEY'] ?? env['AWS_SECRET_KEY'] ?? '';
  if (accessKeyId === '' || secretAccessKey === '') return undefined;
  const sessionToken = env['AWS_SESSION_TOKEN'] ?? '';
  return { accessKeyId, secretAccessKey, ...(sessionToken === '' ? {} : { sessionToken }) };
}

/** `20261205T181500Z`, SigV4's time format. */
const amzDate = (ms: number) => new Date(ms).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');

/** Decodes the five XML entities. */
const xmlText = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);

/** The `<Message>` of an AWS error answer, as aws-sdk-go reports it. */
function errorMessage(body: string): string {
  const m = /<Message>([\s\S]*?)<\/Message>/.exec(body);
  return m === null ? 'failed to unmarshal error message' : xmlText(m[1]!);
}

/**
 * The Amazon SNS integration (`notify/sns`): an SNS `Publish` (Query API, form-encoded POST)
 * signed with AWS Signature Version 4 (service `sns`) to `api_url` (rendered; else the region's
 * endpoint), with the `sigv4` keys or the environment's. 5xx is retried, as is any failure before
 * an answer (templates, network), as upstream. `sigv4.profile` and `sigv4.role_arn` are refused
 * when the notifier is built (no shared config files or STS here yet).
 */
export const snsIntegration: IntegrationFactory<'sns'> = async (config: SnsConfig, deps: IntegrationDeps): Promise<Notifier> => {
  for (const [key, value] of [['profile', config.sigv4.profile], ['role_arn', config.sigv4.roleArn]] as const) {
    if (value !== '') throw new AlertmanagerError('invalid_config', `sigv4: ${key} is not supported by this Alertmanager yet`);
  }
  const client = await integrationHttpClient(config.httpConfig);
  return {
    async notify(ctx: NotifyContext, alerts: readonly Alert[]): Promise<void> {
      const { text } = rendering(deps, ctx, alerts);
      let endpoint: string;
      try {
        endpoint = await text(config.apiUrl);
      } catch (err) {
        throw notifyError(`execute 'api_url' template: ${(err as Error).message}`, true, 'clientError', err);
      }
      const region = config.sigv4.region !== '' ? config.sigv4.region : (process.env['AWS_REGION'] ?? '');
      if (region === '') throw notifyError('region not configured in sns.sigv4.region or in default credentials chain', true);
      const keys = credentials(config);
      if (keys === undefined) throw notifyError('no AWS credentials: set sns.sigv4.access_key and secret_key, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY', true);
      if (endpoint === '') endpoint = `https://sns.${region}.amazonaws.com`;
      if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(endpoint)) endpoint = `https://${endpoint}`;
      // aws-sdk-go appends the operation's path (`/`) to the endpoint as text.
      const url = new URL(`${endpoint}/`);
      const body = encodeQuery(await publishParams(config, text, ctx.groupKey));
      const contentType = 'application/x-www-form-urlencoded; charset=utf-8';
      // aws4 is loaded on first use: few Alertmanagers have an SNS receiver, and all paid for it at start.
      const { aws4 } = await import('./aws4.js');
      const signed = aws4.sign({ host: url.hostname, path: url.pathname + url.search, method: 'POST', service: 'sns', region, body, headers: { Host: url.host, 'Content-Type': contentType, 'X-Amz-Date': amzDate(deps.clock.now()) } }, keys);
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(signed.headers ?? {})) if (!['host', 'content-type', 'content-length'].includes(k.toLowerCase())) headers[k.toLowerCase()] = String(v);
      const answer = await postJson(client, url.toString(), body, { contentType, headers, userAgent: deps.userAgent, signal: ctx.signal, redactUrl: false });
      const failure = checkStatus({}, answer.statusCode, errorMessage(answer.body));
      if (failure !== undefined) throw failure;
      deps.logger.debug('SNS message successfully published', { message_id: /<MessageId>([^<]*)<\/MessageId>/.exec(answer.body)?.[1] ?? '' });
    },
    close: () => client.close(),
  };
};
