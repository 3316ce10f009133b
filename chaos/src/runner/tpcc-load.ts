import { startTpcc as start } from '../workload/tpcc/index.js';
import type { LoadHandle, RunState } from './run-state.js';

/** The scenario's `tpcc` block as the run's workload; its transaction counts become measurements. */
export async function startTpcc(s: RunState): Promise<LoadHandle> {
  const { run, prepared, ns } = s;
  const tpcc = run.scenario.tpcc!;
  const wl = run.scenario.workload;
  s.progress.log(`tpcc: loading ${tpcc.warehouses} warehouse(s), ${tpcc.items} items, ${tpcc.customers} customers per district`);
  const handle = await start({
    source: run.source, connection: prepared!.writeConnection, database: ns.database, images: s.images,
    scale: { warehouses: tpcc.warehouses, items: tpcc.items, customers: tpcc.customers }, terminals: wl.writers, rate: wl.rate, durationS: wl.duration, seed: run.seed,
  });
  s.progress.log(`tpcc: population loaded (${handle.log().versionCount.toLocaleString('en-US')} rows); ${wl.writers} terminals for ${wl.duration} s`);
  const finished = async () => {
    const log = await handle.finished();
    for (const [kind, c] of Object.entries(handle.counts())) {
      s.measurements[`tpcc.${kind}.ok`] = c.ok;
      if (c.fail > 0) s.measurements[`tpcc.${kind}.fail`] = c.fail;
      if (c.info > 0) s.measurements[`tpcc.${kind}.info`] = c.info;
    }
    s.measurements['tpcc.new_orders_per_min'] = Math.round((handle.counts()['new-order'].ok * 60) / wl.duration);
    return log;
  };
  return { log: () => handle.log(), tables: () => handle.tables(), finished, stop: () => handle.stop() };
}
