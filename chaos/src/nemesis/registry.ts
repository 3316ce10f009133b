import type { FaultKind } from '../scenarios/faults.js';
import { failover } from './failover.js';
import { httpError, httpReset, httpSlow } from './http-faults.js';
import type { Fault } from './nemesis.js';
import { killEngine, killServer, restartServer, termEngine } from './process-faults.js';
import { partition, toxicFault } from './proxy-faults.js';
import { binlogPurge, ddlFault, slotDrop } from './source-faults.js';

/** One fault per kind a scenario may name (chaos/src/scenarios/faults.ts). */
export const FAULTS: Readonly<Record<FaultKind, Fault>> = {
  partition,
  latency: toxicFault('latency'),
  bandwidth: toxicFault('bandwidth'),
  timeout: toxicFault('timeout'),
  reset_peer: toxicFault('reset_peer'),
  slicer: toxicFault('slicer'),
  limit_data: toxicFault('limit_data'),
  slow_close: toxicFault('slow_close'),
  'kill-engine': killEngine,
  'term-engine': termEngine,
  'kill-server': killServer,
  'restart-server': restartServer,
  failover,
  'binlog-purge': binlogPurge,
  'slot-drop': slotDrop,
  'ddl-add-column': ddlFault('add'),
  'ddl-drop-column': ddlFault('drop'),
  'http-error': httpError,
  'http-slow': httpSlow,
  'http-reset': httpReset,
};

export function faultOf(kind: string): Fault {
  const f = (FAULTS as Readonly<Record<string, Fault>>)[kind];
  if (!f) throw new Error(`unknown fault "${kind}" (known: ${Object.keys(FAULTS).join(', ')})`);
  return f;
}
