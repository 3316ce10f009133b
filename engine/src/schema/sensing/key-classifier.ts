/** Distinct keys counted per path; beyond it a path's `unique_keys` is a lower bound. */
export const MAX_TRACKED_KEYS = 10_000;

export interface ClassifierSettings {
  readonly minEvents: number;
  readonly stableThreshold: number;
  readonly minDynamicFields: number;
}

/** What the classifications endpoint reports for one path. */
export interface PathClassification {
  readonly stable_fields: readonly string[];
  readonly has_dynamic_fields: boolean;
  readonly unique_keys: number;
}

/**
 * Tells the fields of the objects at one path apart (the reference's high-cardinality handling):
 * once `minEvents` objects were seen, a key present in at least `stableThreshold` of them is
 * stable; when at least `minDynamicFields` keys are not, the path is a dynamic map (session
 * ids, trace ids as keys) and its other keys are folded into one `<dynamic>` field, so new keys
 * stop counting as schema evolution. Exact counts, bounded by MAX_TRACKED_KEYS (the reference
 * uses HyperLogLog and SpaceSaving sketches for the same decision).
 */
export class KeyClassifier {
  private objects = 0;
  private readonly counts = new Map<string, number>();
  private decided: PathClassification | null = null;
  private stable: ReadonlySet<string> = new Set();

  constructor(private readonly settings: ClassifierSettings) {}

  get classification(): PathClassification | null {
    return this.decided;
  }

  /** Counts one object's keys; returns the classification when this object decided it. */
  observe(object: Readonly<Record<string, unknown>>): PathClassification | null {
    if (this.decided) return null;
    this.objects++;
    for (const key in object) {
      const n = this.counts.get(key);
      if (n !== undefined) this.counts.set(key, n + 1);
      else if (this.counts.size < MAX_TRACKED_KEYS) this.counts.set(key, 1);
    }
    if (this.objects < this.settings.minEvents) return null;
    const stable = [...this.counts].filter(([, n]) => n / this.objects >= this.settings.stableThreshold).map(([k]) => k).sort();
    const dynamic = this.counts.size - stable.length;
    this.decided = { stable_fields: stable, has_dynamic_fields: dynamic >= this.settings.minDynamicFields, unique_keys: this.counts.size };
    this.stable = new Set(stable);
    this.counts.clear();
    return this.decided;
  }

  /** Whether a key of this path keeps its own field (always, unless the path is a dynamic map). */
  keeps(key: string): boolean {
    return !this.decided?.has_dynamic_fields || this.stable.has(key);
  }
}
