/** `?label=env:prod&label=team`: every filter must match (AND); a key alone matches any value. */
export interface LabelFilter {
  readonly key: string;
  readonly value?: string;
}

/** Splits on the first `:` so values may contain colons. */
export function parseLabelFilters(raw: readonly string[]): LabelFilter[] {
  return raw.map((f) => {
    const i = f.indexOf(':');
    return i < 0 ? { key: f } : { key: f.slice(0, i), value: f.slice(i + 1) };
  });
}

export function matchesLabels(labels: Readonly<Record<string, string>>, filters: readonly LabelFilter[]): boolean {
  return filters.every((f) => Object.hasOwn(labels, f.key) && (f.value === undefined || labels[f.key] === f.value));
}
