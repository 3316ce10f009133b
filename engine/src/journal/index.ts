export { DeadLetterJournal, type JournalOptions, type JournalStatus } from './journal.js';
export { JournalStore, type PeekFilter } from './store.js';
export { openDeadLetterJournal, closeDeadLetterJournals, journalPath } from './open.js';
export { NOOP_JOURNAL_METRICS, type JournalMetrics } from './metrics.js';
export { buildEntry, errorKindOf, fitEvent, type DlqEntry, type DlqEvent, type DlqMeta, type NewDlqEntry, type TruncatedImage } from './entry.js';
