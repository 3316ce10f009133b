import type { Verdict } from '../history/index.js';
import type { CheckInput, Checker } from './checker.js';
import { Examples } from './examples.js';
import { sinkVerdict } from './sink-view.js';

/**
 * Every message a sink holds decodes into an envelope: JSON that parses, or Avro that decodes to
 * its last byte with the writer schema its id names in the registry. A record framed with a
 * wrong or stale schema id (a body written with one schema under another's id) fails here, as
 * does any payload a consumer could not read. Readers keep such messages apart from the records
 * (`SinkHistory.undecodable`), so the other checkers never see them; this one makes them count.
 */
export const undecodableChecker: Checker = {
  name: 'undecodable',
  check(input: CheckInput): Verdict[] {
    return input.sinks.map((h) => {
      const problems = new Examples();
      for (const u of h.undecodable ?? []) problems.add(() => ({ position: u.position, error: u.error }));
      const decoded = h.records.length;
      return sinkVerdict('undecodable', h, problems, `all ${decoded} messages decode`, `${problems.total} messages do not decode (wrong schema id, or not an envelope)`, { decoded, undecodable: problems.total });
    });
  },
};
