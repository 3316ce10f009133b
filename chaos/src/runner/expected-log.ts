import { hasProcessors, processedHistory } from '../checkers/processed-history.js';
import { SourceLog } from '../history/index.js';

/**
 * The history the judge expects the sinks to hold: the recorded one, or, when the pipeline runs
 * processors, what they make of it (checkers/processed-history.ts). The processors see the plain
 * history (every image read back), so a processors run is judged once its workload is over, not
 * while it streams: fine for the scenarios that use processors, which are small; a soak with
 * processors is refused (its periodic checks judge while the workload runs).
 */
export async function expectedLog(log: SourceLog, pipelineDocument: Readonly<Record<string, unknown>>): Promise<SourceLog> {
  if (!hasProcessors(pipelineDocument)) return log;
  return SourceLog.of(await processedHistory(log.toHistory(), pipelineDocument));
}

export { hasProcessors };
