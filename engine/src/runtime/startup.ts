import type { LoadedPipeline } from '../config/index.js';
import type { Logger } from '../logging/logger.js';
import { configDocuments } from './config-documents.js';
import type { PipelineRecordStore } from './records.js';
import { planRestore, type PlannedPipeline } from './restore-plan.js';

/**
 * The pipelines to run after a (re)start: --config documents merged with the records of API
 * changes (see planRestore for who wins). Records that lost are renamed `*.superseded`.
 */
export function startupPipelines(loaded: readonly LoadedPipeline[], records: PipelineRecordStore, logger: Logger): readonly PlannedPipeline[] {
  const config = configDocuments(loaded).map((d) => ({ name: d.loaded.spec.metadata.name, document: d.document, sha256: d.sha256 }));
  const plan = planRestore(config, records.list());
  for (const s of plan.superseded) {
    const keptAt = records.supersede(s.name);
    logger.warn({ pipeline: s.name, reason: s.reason, keptAt }, 'persisted API change superseded by the --config file');
  }
  for (const name of plan.keptDeleted) logger.info({ pipeline: name }, 'pipeline from --config stays deleted (deleted through the API); edit its document to bring it back');
  for (const p of plan.pipelines) logger.info({ pipeline: p.name, origin: p.origin, from: p.from, desired: p.desired }, 'pipeline loaded');
  return plan.pipelines;
}
