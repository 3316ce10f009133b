import type { Verdict } from '../history/index.js';
import type { CheckerDef, SinkAccumulator, SinkContext } from './checker.js';
import { Examples } from './examples.js';
import { checkerOf } from './judge.js';
import { sinkVerdict } from './sink-view.js';

/**
 * Every message a sink holds decodes into an envelope: JSON that parses, or Avro that decodes to
 * its last byte with the writer schema its id names in the registry. A record framed with a
 * wrong or stale schema id (a body written with one schema under another's id) fails here, as
 * does any payload a consumer could not read. Readers and tails keep such messages apart from
 * the records (they reach accumulators through `undecodable`), so the other checkers never
 * match them; `phantom` counts them too, but this checker is the one that names them.
 */
export const undecodableDef: CheckerDef<Verdict> = {
  name: 'undecodable',
  forSink: (ctx) => (ctx.meta.kind === 'dlq' ? null : new Undecodable(ctx)),
  verdicts: (_ctx, results) => results.map((r) => r.value),
};

export const undecodableChecker = checkerOf('undecodable', [undecodableDef]);

class Undecodable implements SinkAccumulator<Verdict> {
  private readonly problems = new Examples();
  private decoded = 0;

  constructor(private readonly ctx: SinkContext) {}

  add(): void {
    this.decoded++;
  }

  undecodable(position: string, error: string): void {
    this.problems.add(() => ({ position, error }));
  }

  result(): Verdict {
    const { decoded, problems } = this;
    return sinkVerdict('undecodable', this.ctx.label, problems, `all ${decoded} messages decode`, `${problems.total} messages do not decode (wrong schema id, or not an envelope)`, { decoded, undecodable: problems.total });
  }

  bytes(): number {
    return 64;
  }
}
