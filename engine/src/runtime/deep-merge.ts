/**
 * The PATCH semantics: objects merge recursively, arrays merge element by element by index
 * (so `{"spec":{"sinks":[{"config":{"topic":"t2"}}]}}` changes the first sink's topic and keeps
 * the others, as the reference does), `null` removes a key (RFC 7396) or, inside an array, that
 * element (`"sinks": [{}, null]` keeps the first sink and drops the second); anything else replaces.
 * Never mutates its inputs.
 */
export function deepMerge(base: unknown, patch: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (value === null) delete out[key];
      else out[key] = key in base ? deepMerge(base[key], value) : value;
    }
    return out;
  }
  if (Array.isArray(base) && Array.isArray(patch)) {
    const out: unknown[] = [...base];
    patch.forEach((value, i) => {
      out[i] = i < base.length && value !== null ? deepMerge(base[i], value) : value;
    });
    return out.filter((_v, i) => patch[i] !== null);
  }
  return patch;
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
