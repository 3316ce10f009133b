import { z } from 'zod';

/** Readable rendering of a bad value for error messages: strings quoted, objects summarised. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}

const msg = (what: string) => (iss: { input?: unknown }) => `expected ${what}, got ${show(iss.input)}`;

export const positiveInt = () => {
  const m = msg('a positive integer');
  return z.number({ error: m }).int({ error: m }).positive({ error: m });
};

export const nonNegativeInt = () => {
  const m = msg('a non-negative integer');
  return z.number({ error: m }).int({ error: m }).nonnegative({ error: m });
};

export const nonEmptyString = () => {
  const m = msg('a non-empty string');
  return z.string({ error: m }).min(1, { error: m });
};

export const bool = () => z.boolean({ error: msg('true or false') });

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: msg(`one of ${values.join(', ')}`) });

export const stringList = () => z.array(nonEmptyString(), { error: msg('a list of strings') });

export const stringMap = () =>
  z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String), { error: msg('a mapping of names to values') });
