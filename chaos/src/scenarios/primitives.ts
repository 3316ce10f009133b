import { show } from '@tidemark/engine/config/primitives';
import { z } from 'zod';

/** zod building blocks whose messages read `expected <what>, got <value>`, like the engine's config. */
const msg = (what: string) => (iss: { input?: unknown }) => `expected ${what}, got ${show(iss.input)}`;

export const seconds = () => {
  const m = msg('a number of seconds (0 or more)');
  return z.number({ error: m }).nonnegative({ error: m }).finite({ error: m });
};

export const positiveSeconds = () => {
  const m = msg('a positive number of seconds');
  return z.number({ error: m }).positive({ error: m }).finite({ error: m });
};

export const positiveNumber = (what: string) => {
  const m = msg(what);
  return z.number({ error: m }).positive({ error: m }).finite({ error: m });
};

export const weight = () => {
  const m = msg('a weight (a number, 0 or more)');
  return z.number({ error: m }).nonnegative({ error: m }).finite({ error: m });
};

export const fraction = () => {
  const m = msg('a number from 0 to 1');
  return z.number({ error: m }).min(0, { error: m }).max(1, { error: m });
};

export const identifier = (what: string) => {
  const m = msg(`${what} (lowercase letters, digits and dashes)`);
  return z.string({ error: m }).regex(/^[a-z0-9][a-z0-9-]*$/, { error: m });
};

export const sqlIdentifier = () => {
  const m = msg('a table or column name (letters, digits, underscores)');
  return z.string({ error: m }).regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: m });
};

export { bool, nonEmptyString, nonNegativeInt, oneOf, positiveInt, show, stringList } from '@tidemark/engine/config/primitives';
