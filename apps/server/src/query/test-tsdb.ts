import { Labels } from '@pyrometer/model';
import { tempDir } from '@pyrometer/testkit';
import { Tsdb } from '@pyrometer/tsdb';

/** A TSDB in a temporary directory holding three `up` series of one sample (1 at t = 1 s), for the pool's tests; the caller closes it. */
export async function openUpTsdb(): Promise<Tsdb> {
  const tsdb = await Tsdb.open(tempDir(), { compactionInterval: 0 });
  const app = tsdb.appender();
  for (let i = 0; i < 3; i++) app.append(0, Labels.from({ __name__: 'up', instance: `i${i}` }), 1000, 1);
  await app.commit();
  return tsdb;
}
