import type { ChangeEvent } from '../event/change-event.js';
import type { Source } from '../sources/source.js';

/**
 * Shows every event the source emits to `observe` before the coordinator gets it: schema
 * sensing sees rows as the source decoded them (before processors reshape them), which is
 * what drift is judged against. The source object itself is returned, started through a
 * context whose `emit` observes.
 */
export function sensedSource(source: Source, observe: (event: ChangeEvent) => void): Source {
  const start = source.start.bind(source);
  source.start = (ctx) =>
    start({
      ...ctx,
      emit: (event) => {
        observe(event);
        ctx.emit(event);
      },
    });
  return source;
}
