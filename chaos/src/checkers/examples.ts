/** How many concrete cases a verdict carries; counts say how many there were in all. */
export const MAX_EXAMPLES = 10;

export type Example = Readonly<Record<string, unknown>>;

/** Keeps the first MAX_EXAMPLES cases it is offered and counts all of them. */
export class Examples {
  readonly items: Example[] = [];
  total = 0;

  /** `make` runs only while there is room, so callers can build examples lazily. */
  add(make: () => Example): void {
    this.total++;
    if (this.items.length < MAX_EXAMPLES) this.items.push(make());
  }
}
