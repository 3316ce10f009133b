import { join, resolve } from 'node:path';
import type { PipelineSpec } from '../config/index.js';
import { DeadLetterJournal, type JournalOptions } from './journal.js';
import { JournalStore } from './store.js';

/** `<dataDir>/journal/<pipeline>.db`: one SQLite file per pipeline, apart from checkpoints. */
export function journalPath(dataDir: string, pipeline: string): string {
  return resolve(join(dataDir, 'journal', `${pipeline}.db`));
}

const open = new Map<string, DeadLetterJournal>();

/**
 * The DLQ journal of a pipeline, opened once per file and shared: a restarted pipeline and the
 * control plane's REST routes get the same instance (and so the same SQLite handle and the same
 * blocked writers to wake on ack). A second call applies the spec's new bounds.
 */
export function openDeadLetterJournal(dataDir: string, spec: PipelineSpec, options: Omit<JournalOptions, 'pipeline' | 'spec' | 'onClose'> = {}): DeadLetterJournal {
  const name = spec.metadata.name;
  const path = journalPath(dataDir, name);
  const existing = open.get(path);
  if (existing) {
    existing.reconfigure(spec.spec.journal);
    return existing;
  }
  const journal = new DeadLetterJournal(new JournalStore(path), { ...options, pipeline: name, spec: spec.spec.journal, onClose: () => open.delete(path) });
  open.set(path, journal);
  journal.start();
  return journal;
}

/** Closes every journal opened by openDeadLetterJournal (shutdown, tests). */
export function closeDeadLetterJournals(): void {
  for (const j of [...open.values()]) j.close();
}
