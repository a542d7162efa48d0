import { PageHeader } from '../shell/layout.js';

/** The Flink cluster overview. */
export function FlinkOverview() {
  return <PageHeader title="Flink cluster" />;
}
