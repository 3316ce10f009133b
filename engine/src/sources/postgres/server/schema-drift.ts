import { TidemarkError } from '../../../errors/index.js';
import type { Logger } from '../../../logging/logger.js';
import type { TableInfo } from './catalog.js';
import { describeIdentityChange, type IdentityChange } from './identity.js';
import type { SchemaRegistry } from '../schema-registry.js';
import { qualifiedText } from '../table-patterns.js';

/** After a server change: the stored table schemas against today's catalog, per on_schema_drift. */
export function checkSchemaDrift(o: { tables: readonly TableInfo[]; schemas: SchemaRegistry; change: IdentityChange; policy: 'adapt' | 'halt'; sourceId: string; logger: Logger }): void {
  const drifted = o.tables.filter((t) => {
    const stored = o.schemas.storedSchema(t);
    return stored !== undefined && stored.fingerprint !== o.schemas.catalogFingerprint(t);
  });
  if (drifted.length === 0) return;
  const names = drifted.map(qualifiedText).join(', ');
  const what = describeIdentityChange(o.change);
  if (o.policy === 'halt') {
    throw new TidemarkError('TIDEMARK_ERR_SOURCE_SCHEMA_DRIFT', `${what}, and the schema of ${names} differs from the one recorded before; on_schema_drift is halt. Compare the tables, then set on_schema_drift: adapt or re-snapshot.`, {
      context: { source: o.sourceId, tables: names },
    });
  }
  o.logger.warn({ tables: names }, `${what}: the schema of ${names} changed; adapting (on_schema_drift: adapt)`);
}
