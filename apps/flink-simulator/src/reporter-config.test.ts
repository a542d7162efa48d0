import { describe, expect, it } from 'vitest';
import { applyReporterKeys, defaultReporterConfig, parseFlinkDuration, reporterKeysFromFlinkConf } from './reporter-config.js';

describe('reporter configuration', () => {
  it('reads the PushGateway reporter keys from a flat flink-conf.yaml', () => {
    const conf = [
      'metrics.reporter.jmx.factory.class: org.apache.flink.metrics.jmx.JMXReporterFactory',
      'metrics.reporter.promgateway.factory.class: org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory',
      'metrics.reporter.promgateway.hostUrl: http://pushgateway:9091',
      'metrics.reporter.promgateway.jobName: myJob',
      'metrics.reporter.promgateway.randomJobNameSuffix: false',
      'metrics.reporter.promgateway.groupingKey: k1=v1;broken;k2=v2',
      'metrics.reporter.promgateway.interval: 60 SECONDS',
    ].join('\n');
    const config = applyReporterKeys(defaultReporterConfig(), reporterKeysFromFlinkConf(conf));
    expect(config).toEqual({
      hostUrl: 'http://pushgateway:9091',
      jobName: 'myJob',
      randomJobNameSuffix: false,
      deleteOnShutdown: true,
      groupingKey: [['k1', 'v1'], ['k2', 'v2']],
      filterLabelValueCharacters: true,
      intervalMs: 60_000,
    });
  });

  it("reads Flink 1.19+'s nested config.yaml", () => {
    const conf = 'metrics:\n  reporter:\n    pg:\n      factory.class: org.apache.flink.metrics.prometheus.PrometheusPushGatewayReporterFactory\n      hostUrl: http://localhost:9091\n      deleteOnShutdown: false\n';
    expect(applyReporterKeys(defaultReporterConfig(), reporterKeysFromFlinkConf(conf))).toMatchObject({ hostUrl: 'http://localhost:9091', deleteOnShutdown: false });
  });

  it.each([
    { name: 'no reporter', run: () => reporterKeysFromFlinkConf('taskmanager.numberOfTaskSlots: 2'), message: /no metrics.reporter/ },
    { name: 'bad boolean', run: () => applyReporterKeys(defaultReporterConfig(), { deleteOnShutdown: 'yes' }), message: 'deleteOnShutdown: expected true or false, got "yes"' },
    { name: 'bad URL', run: () => applyReporterKeys(defaultReporterConfig(), { hostUrl: 'pushgateway:9091' }), message: /hostUrl: "pushgateway:9091" is not an http\(s\) URL/ },
    { name: 'bad duration', run: () => parseFlinkDuration('interval', '10 fortnights'), message: /interval: "10 fortnights" is not a positive Flink duration/ },
  ])('rejects $name with a message naming the key', ({ run, message }) => {
    expect(run).toThrow(message);
  });

  it.each([
    ['10 SECONDS', 10_000],
    ['10s', 10_000],
    ['500 ms', 500],
    ['1 min', 60_000],
    ['2500', 2_500],
  ])('parses the Flink duration %s', (text, ms) => {
    expect(parseFlinkDuration('interval', text)).toBe(ms);
  });
});
