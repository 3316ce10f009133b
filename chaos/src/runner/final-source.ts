import type { FinalSource } from '../checkers/index.js';
import type { SourceLog } from '../history/index.js';
import { readSourceState, type TableDef, type WorkloadTarget } from '../workload/index.js';

/**
 * The source's tables as the run ended, for the `state` checker: read from the database (the
 * workload has stopped), with the rows an unresolved indeterminate transaction touched marked
 * uncertain (either state is right for them).
 */
export async function readFinalSource(target: WorkloadTarget, tables: readonly TableDef[], log: SourceLog): Promise<FinalSource> {
  const state = await readSourceState(target, tables);
  const uncertain = new Set<string>();
  for (let t = 0; t < log.txnCount; t++) {
    if (log.effectiveOutcome(t) !== 'info') continue;
    const first = log.tFirst.get(t);
    for (let v = first; v < first + log.tCount.get(t); v++) uncertain.add(`${log.tableOfVersion(v)} ${log.keyStrings[log.vKey.get(v)]}`);
  }
  return { tables: state, uncertain };
}
