import type { SnsConfig } from '../../config/receivers/receiver.js';
import { notifyError } from '../notifier.js';
import { groupKeyHash } from '../payload.js';
import type { Render } from '../render.js';

/** SNS's message size limits (bytes): to a topic or target, and as an SMS. */
const MAX_MESSAGE_BYTES = 256 * 1024;
const MAX_SMS_BYTES = 1600;

/** A UTF-16 surrogate without its pair: text that has no UTF-8 encoding. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Renders one setting; a failure is retried and counted as a client error, as upstream's are. */
async function render(text: Render, template: string, key: string): Promise<string> {
  try {
    return await text(template);
  } catch (err) {
    throw notifyError(`execute '${key}' template: ${(err as Error).message}`, true, 'clientError', err);
  }
}

/** The longest prefix of `s` of at most `n` UTF-8 bytes that ends on a character boundary. */
function cutToBytes(s: string, n: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of s) {
    bytes += Buffer.byteLength(ch);
    if (bytes > n) break;
    out += ch;
  }
  return out;
}

/**
 * The parameters of one SNS `Publish` call (the Query API), as upstream's `createPublishInput`
 * fills them: rendered attributes (`String` values, keys sorted, numbered from 1; an empty map
 * still writes `MessageAttributes=` as aws-sdk-go does), the destination (topic, phone number or
 * target; a FIFO topic gets the group key's hash as deduplication and group id), the message cut
 * to 256 KiB (1600 bytes for SMS) with a `truncated` attribute when cut, and the subject.
 */
export async function publishParams(config: SnsConfig, text: Render, groupKey: string): Promise<Record<string, string>> {
  const attributes = new Map<string, string>();
  for (const [k, v] of Object.entries(config.attributes)) attributes.set(await render(text, k, 'attributes'), await render(text, v, 'attributes'));
  const params: Record<string, string> = { Action: 'Publish', Version: '2010-03-31' };
  let limit = MAX_MESSAGE_BYTES;
  if (config.topicArn !== '') {
    const topicArn = await render(text, config.topicArn, 'topic_arn');
    params['TopicArn'] = topicArn;
    if (topicArn.endsWith('.fifo')) params['MessageDeduplicationId'] = params['MessageGroupId'] = groupKeyHash(groupKey);
  }
  if (config.phoneNumber !== '') {
    params['PhoneNumber'] = await render(text, config.phoneNumber, 'phone_number');
    limit = MAX_SMS_BYTES;
  }
  if (config.targetArn !== '') params['TargetArn'] = await render(text, config.targetArn, 'target_arn');
  const message = await render(text, config.message, 'message');
  if (LONE_SURROGATE.test(message)) throw notifyError('non utf8 encoded message string', true);
  if (Buffer.byteLength(message) > limit) {
    params['Message'] = cutToBytes(message, limit);
    attributes.set('truncated', 'true');
  } else {
    params['Message'] = message;
  }
  const names = [...attributes.keys()].sort();
  if (names.length === 0) params['MessageAttributes'] = '';
  for (const [i, name] of names.entries()) {
    const entry = `MessageAttributes.entry.${i + 1}`;
    params[`${entry}.Name`] = name;
    params[`${entry}.Value.DataType`] = 'String';
    params[`${entry}.Value.StringValue`] = attributes.get(name)!;
  }
  if (config.subject !== '') params['Subject'] = await render(text, config.subject, 'subject');
  return params;
}
