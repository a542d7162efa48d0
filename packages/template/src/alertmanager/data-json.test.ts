import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { marshalJSON } from '../common/go-json.js';
import { GoTime } from '../gotime/time.js';
import { buildTemplateData } from './data.js';
import { templateDataJSON } from './data-json.js';

// Names and values with what Go's encoder escapes (quotes, `<>&`, control characters, line
// separators, lone surrogates) and multi-byte text whose UTF-8 order differs from UTF-16's.
const text = fc.oneof(fc.string(), fc.constantFrom('', 'alertname', 'a"b\\c', '<script>&', 'tab\there\n', '\u2028\u2029', '\ud800x', '€', '\u{1F600}', 'ｚ'), fc.string({ unit: 'binary' }));
const labelSet = fc.dictionary(text, text, { maxKeys: 6 });
const millis = fc.integer({ min: 0, max: 4_102_444_800_000 });
const alert = fc.record({
  labels: labelSet,
  annotations: labelSet,
  startsAt: millis.map((ms) => GoTime.fromMillis(ms)),
  endsAt: fc.option(fc.tuple(millis, fc.integer({ min: 0, max: 999_999 })).map(([ms, ns]) => GoTime.fromUnixNanos(BigInt(ms) * 1_000_000n + BigInt(ns))), { nil: undefined }),
  generatorURL: text,
  fingerprint: fc.stringMatching(/^[0-9a-f]{16}$/),
});

describe('templateDataJSON', () => {
  it('writes the same bytes as the general encoder, for any data (common labels, resolved alerts, escapes)', () => {
    fc.assert(
      fc.property(text, labelSet, fc.array(alert, { maxLength: 5 }), text, millis, (receiver, groupLabels, alerts, externalURL, nowMs) => {
        const data = buildTemplateData({ receiver, groupLabels, alerts, externalURL, nowMs });
        expect(templateDataJSON(data)).toBe(marshalJSON(data));
      }),
      { numRuns: 300 },
    );
  });

  it('writes upstream field order for a firing and a resolved alert sharing a label', () => {
    const data = buildTemplateData({
      receiver: 'team.x',
      groupLabels: { alertname: 'A' },
      externalURL: 'http://am:9093',
      nowMs: 2_000,
      alerts: [
        { labels: { alertname: 'A', b: '<1>' }, annotations: {}, startsAt: 1_000, endsAt: 1_500, generatorURL: '', fingerprint: '0000000000000001' },
        { labels: { alertname: 'A' }, annotations: { s: 'x' }, startsAt: 1_000, generatorURL: 'g', fingerprint: '0000000000000002' },
      ],
    });
    expect(templateDataJSON(data)).toBe(
      '{"receiver":"team\\\\.x","status":"firing","alerts":[' +
        '{"status":"resolved","labels":{"alertname":"A","b":"\\u003c1\\u003e"},"annotations":{},"startsAt":"1970-01-01T00:00:01Z","endsAt":"1970-01-01T00:00:01.5Z","generatorURL":"","fingerprint":"0000000000000001"},' +
        '{"status":"firing","labels":{"alertname":"A"},"annotations":{"s":"x"},"startsAt":"1970-01-01T00:00:01Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"g","fingerprint":"0000000000000002"}],' +
        '"groupLabels":{"alertname":"A"},"commonLabels":{"alertname":"A"},"commonAnnotations":{},"externalURL":"http://am:9093"}',
    );
  });
});
