import type { DesiredState } from './pipeline.js';
import type { PipelineRecord } from './records.js';

export interface ConfigEntry {
  readonly name: string;
  readonly document: unknown;
  readonly sha256: string;
}

export interface PlannedPipeline {
  readonly name: string;
  readonly document: unknown;
  readonly origin: 'api' | 'config';
  readonly desired: DesiredState;
  /** For config pipelines: the hash of their --config document, recorded with any later API change. */
  readonly baseConfigSha256: string | null;
  /** Which input won: the --config file or a persisted API record. */
  readonly from: 'config' | 'record';
}

export interface RestorePlan {
  readonly pipelines: readonly PlannedPipeline[];
  /** Records that lost to a newer --config document (or whose document was removed). */
  readonly superseded: ReadonlyArray<{ readonly name: string; readonly reason: string }>;
  /** Config pipelines kept deleted by an API DELETE. */
  readonly keptDeleted: readonly string[];
}

/**
 * Which definition of each pipeline runs after a (re)start. The rule is "the newest change
 * wins": an API change (create, PATCH, pause/resume/stop, DELETE) is kept across restarts as
 * long as the --config document it was made over is unchanged; editing that document, adding
 * a document with the same name, or removing it supersedes the API change.
 */
export function planRestore(config: readonly ConfigEntry[], records: readonly PipelineRecord[]): RestorePlan {
  const recordByName = new Map(records.map((r) => [r.name, r]));
  const pipelines: PlannedPipeline[] = [];
  const superseded: Array<{ name: string; reason: string }> = [];
  const keptDeleted: string[] = [];

  for (const c of config) {
    const record = recordByName.get(c.name);
    recordByName.delete(c.name);
    if (record && record.base_config_sha256 === c.sha256) {
      if (record.deleted) keptDeleted.push(c.name);
      else pipelines.push({ name: c.name, document: record.document, origin: 'config', desired: record.desired, baseConfigSha256: c.sha256, from: 'record' });
      continue;
    }
    if (record) {
      superseded.push({
        name: c.name,
        reason: record.base_config_sha256 === null ? 'a --config document now defines this API-created pipeline' : 'its --config document changed after the API change',
      });
    }
    pipelines.push({ name: c.name, document: c.document, origin: 'config', desired: 'running', baseConfigSha256: c.sha256, from: 'config' });
  }

  for (const record of recordByName.values()) {
    if (record.origin === 'api' && !record.deleted) {
      pipelines.push({ name: record.name, document: record.document, origin: 'api', desired: record.desired, baseConfigSha256: null, from: 'record' });
    } else {
      superseded.push({ name: record.name, reason: 'its --config document is gone' });
    }
  }
  return { pipelines, superseded, keptDeleted };
}
