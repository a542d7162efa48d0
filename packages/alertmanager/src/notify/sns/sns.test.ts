import { createHash, createHmac } from 'node:crypto';
import { HttpRecorder, type RecordedRequest } from '@pyrometer/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertmanagerError } from '../../errors.js';
import { alertAt, testAlertmanager } from '../../testing/harness.js';
import { notifierFromConfig, type NotifierUnderTest } from '../../testing/notifier-harness.js';
import { groupKeyHash } from '../payload.js';
import { snsIntegration } from './sns.js';

const PUBLISHED = { status: 200, contentType: 'text/xml', body: '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult></PublishResponse>' };
const awsError = (status: number, message: string) => ({ status, contentType: 'text/xml', body: `<ErrorResponse><Error><Type>Sender</Type><Code>InvalidParameter</Code><Message>${message}</Message></Error><RequestId>r</RequestId></ErrorResponse>` });

let sns: HttpRecorder;
beforeEach(async () => {
  sns = await HttpRecorder.start({ otherwise: PUBLISHED });
});
afterEach(() => sns.close());

const config = (fields = '', sigv4 = '{region: eu-west-1, access_key: AKIDEXAMPLE, secret_key: s3cr3t}') => `
route: {receiver: aws}
receivers:
- name: aws
  sns_configs:
  - api_url: '${sns.url}'
    sigv4: ${sigv4}
${fields}`;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const hmac = (key: string | Buffer, s: string) => createHmac('sha256', key).update(s).digest();

/** Checks an AWS Signature Version 4 independently of the signing library, from what arrived. */
function signatureValid(req: RecordedRequest, secret: string): boolean {
  const m = /^AWS4-HMAC-SHA256 Credential=[^/]+\/(\d{8})\/([^/]+)\/sns\/aws4_request, SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(String(req.headers['authorization']));
  if (m === null) return false;
  const [, day, region, signedHeaders, signature] = m as unknown as [string, string, string, string, string];
  const [path, query = ''] = req.url.split('?') as [string, string?];
  const canonicalHeaders = signedHeaders.split(';').map((h) => `${h}:${String(req.headers[h]).trim()}\n`).join('');
  const canonical = ['POST', path, query, canonicalHeaders, signedHeaders, sha256(req.body)].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', String(req.headers['x-amz-date']), `${day}/${region}/sns/aws4_request`, sha256(canonical)].join('\n');
  const key = ['sns', 'aws4_request'].reduce((k, part) => hmac(k, part), hmac(hmac(`AWS4${secret}`, day), region));
  return hmac(key, toSign).toString('hex') === signature;
}

const rejection = (p: Promise<unknown>) => p.then(() => undefined, (err: unknown) => err as AlertmanagerError);
const firing = (n: NotifierUnderTest) => [alertAt(n.clock, { alertname: 'FlinkJobDown', job_name: 'orders' }, { annotations: { summary: 'orders is down' } })];
const params = (req: RecordedRequest) => Object.fromEntries(new URLSearchParams(req.body));

describe('sns integration', () => {
  it('publishes to the topic through the Query API at <api_url>/, signed with SigV4 for the region, from the default templates', async () => {
    const n = await notifierFromConfig('sns', snsIntegration, config("    topic_arn: 'arn:aws:sns:eu-west-1:123456789012:flink'"));
    await n.notify(firing(n));
    const [req] = await sns.waitFor(1);
    expect([req!.method, req!.url, req!.headers['content-type']]).toEqual(['POST', '/', 'application/x-www-form-urlencoded; charset=utf-8']);
    expect(req!.headers['x-amz-date']).toBe(new Date(n.clock.now()).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, ''));
    expect(String(req!.headers['authorization'])).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/sns\/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date, /);
    expect(signatureValid(req!, 's3cr3t')).toBe(true);
    expect(req!.body.split('&').map((p) => p.split('=')[0])).toEqual(['Action', 'Message', 'MessageAttributes', 'Subject', 'TopicArn', 'Version']);
    expect(params(req!)).toEqual({
      Action: 'Publish',
      Version: '2010-03-31',
      TopicArn: 'arn:aws:sns:eu-west-1:123456789012:flink',
      Subject: '[FIRING:1] FlinkJobDown (orders)',
      Message: 'orders is down\n\nAlerts Firing:\nLabels:\n - alertname = FlinkJobDown\n - job_name = orders\nAnnotations:\n - summary = orders is down\nSource: http://prometheus:9090/graph\n\n\n\n',
      MessageAttributes: '',
    });
  });

  it('renders attributes (sorted entries), sets FIFO deduplication and group ids, and sends to phone numbers and targets', async () => {
    const attributes = "    attributes: {team: flink, '{{ .CommonLabels.job_name }}': '{{ .Status }}'}";
    const fifo = await notifierFromConfig('sns', snsIntegration, config(`    topic_arn: 'arn:aws:sns:eu-west-1:1:flink.fifo'\n${attributes}`));
    await fifo.notify(firing(fifo));
    const phone = await notifierFromConfig('sns', snsIntegration, config("    phone_number: '+15555550100'\n    subject: ''"));
    await phone.notify(firing(phone));
    const target = await notifierFromConfig('sns', snsIntegration, config("    target_arn: 'arn:aws:sns:eu-west-1:1:endpoint/APNS/app/id'"));
    await target.notify(firing(target));
    const [a, b, c] = await sns.waitFor(3);
    const hash = groupKeyHash('{}:{alertname="FlinkJobDown"}');
    expect(params(a!)).toMatchObject({
      MessageDeduplicationId: hash,
      MessageGroupId: hash,
      'MessageAttributes.entry.1.Name': 'orders',
      'MessageAttributes.entry.1.Value.DataType': 'String',
      'MessageAttributes.entry.1.Value.StringValue': 'firing',
      'MessageAttributes.entry.2.Name': 'team',
      'MessageAttributes.entry.2.Value.StringValue': 'flink',
    });
    expect(params(b!)).toMatchObject({ PhoneNumber: '+15555550100' });
    expect(params(b!)['Subject']).toBeUndefined();
    expect(params(c!)).toMatchObject({ TargetArn: 'arn:aws:sns:eu-west-1:1:endpoint/APNS/app/id' });
  });

  it('cuts an SMS to 1600 bytes (a topic message to 256 KiB) on a character boundary and marks it with the truncated attribute', async () => {
    const n = await notifierFromConfig('sns', snsIntegration, config(`    phone_number: '+15555550100'\n    message: '${'é'.repeat(900)}'`));
    await n.notify(firing(n));
    const topic = await notifierFromConfig('sns', snsIntegration, config(`    topic_arn: 'arn:aws:sns:eu-west-1:1:flink'\n    message: '${'x'.repeat(270_000)}'`));
    await topic.notify(firing(topic));
    const [sms, big] = await sns.waitFor(2);
    expect(params(sms!)).toMatchObject({ Message: 'é'.repeat(800), 'MessageAttributes.entry.1.Name': 'truncated', 'MessageAttributes.entry.1.Value.StringValue': 'true' });
    expect([params(big!)['Message']!.length, params(big!)['MessageAttributes.entry.1.Name']]).toEqual([256 * 1024, 'truncated']);
  });

  it.each([
    { answer: awsError(400, 'Invalid parameter: TopicArn'), message: 'unexpected status code 400: Invalid parameter: TopicArn', retryable: false, reason: 'clientError' },
    { answer: awsError(403, 'The security token included in the request is invalid &amp; expired'), message: 'unexpected status code 403: The security token included in the request is invalid & expired', retryable: false, reason: 'clientError' },
    { answer: awsError(500, 'Internal'), message: 'unexpected status code 500: Internal', retryable: true, reason: 'serverError' },
    { answer: { status: 502, body: 'bad gateway' }, message: 'unexpected status code 502: failed to unmarshal error message', retryable: true, reason: 'serverError' },
  ])('answer $answer.status: retryable $retryable', async ({ answer, message, retryable, reason }) => {
    sns.answer(answer);
    const n = await notifierFromConfig('sns', snsIntegration, config("    topic_arn: 'arn:aws:sns:eu-west-1:1:flink'"));
    const err = await rejection(n.notify(firing(n)));
    expect([err!.message, err!.retryable, err!.reason]).toEqual([message, retryable, reason]);
  });

  it('takes the keys and region from the environment when sigv4 has none (a session token is sent and signed)', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIDENV', AWS_SECRET_ACCESS_KEY: 'envs3cr3t', AWS_SESSION_TOKEN: 'sess10n', AWS_REGION: 'us-east-2' });
    try {
      const n = await notifierFromConfig('sns', snsIntegration, config("    topic_arn: 'arn:aws:sns:us-east-2:1:flink'", '{}'));
      await n.notify(firing(n));
      const [req] = await sns.waitFor(1);
      expect([req!.headers['x-amz-security-token'], signatureValid(req!, 'envs3cr3t')]).toEqual(['sess10n', true]);
      expect(String(req!.headers['authorization'])).toContain('Credential=AKIDENV/');
      expect(String(req!.headers['authorization'])).toContain('/us-east-2/sns/aws4_request');
    } finally {
      process.env = saved;
    }
  });

  it('without a region or credentials the send fails (retried, as upstream); profile and role_arn are refused at load', async () => {
    const saved = { ...process.env };
    for (const k of ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_ACCESS_KEY', 'AWS_SECRET_ACCESS_KEY', 'AWS_SECRET_KEY']) delete process.env[k];
    try {
      const noRegion = await notifierFromConfig('sns', snsIntegration, config("    topic_arn: 'arn:aws:sns:eu-west-1:1:flink'", '{access_key: a, secret_key: s}'));
      const noKeys = await notifierFromConfig('sns', snsIntegration, config("    topic_arn: 'arn:aws:sns:eu-west-1:1:flink'", '{region: eu-west-1}'));
      const errors = await Promise.all([noRegion, noKeys].map((n) => rejection(n.notify(firing(n)))));
      expect(errors.map((e) => [e!.message.split(':')[0], e!.retryable])).toEqual([['region not configured in sns.sigv4.region or in default credentials chain', true], ['no AWS credentials', true]]);
      expect(sns.requests).toHaveLength(0);
    } finally {
      process.env = saved;
    }
    await expect(testAlertmanager(config("    topic_arn: 'arn:aws:sns:eu-west-1:1:flink'", "{region: eu-west-1, role_arn: 'arn:aws:iam::1:role/am'}"))).rejects.toThrow('receiver "aws": sns_configs[0]: sigv4: role_arn is not supported by this Alertmanager yet');
  });
});
