import type { SourceLog } from '../history/index.js';
import { DlqTail } from '../readers/index.js';
import type { RunState } from './run-state.js';
import type { SinkFeed } from './sinks/index.js';

/** The pipeline's DLQ journal as one more history, when the scenario's checkers judge it. */
export function dlqFeeds(s: RunState, log: SourceLog): SinkFeed[] {
  if (!s.run.scenario.checkers.includes('dlq')) return [];
  const { api } = s.engine;
  const pipeline = s.ns.pipeline;
  return [{ meta: { sink: 'dlq', kind: 'dlq', exactlyOnce: false }, tail: new DlqTail({ list: () => api.dlq(pipeline), count: () => api.dlqCount(pipeline), primaryKeys: log.primaryKeys }) }];
}
