import type { ServiceName, Topology } from '../infra/index.js';
import { mysqlOptions, pgOptions } from '../infra/index.js';
import type { SqlRow } from '../nemesis/index.js';
import { connectSession } from '../workload/sql/session.js';

/** One statement as admin on a database service's DIRECT endpoint (a connection per call: faults are rare). */
export async function adminSql(topology: Topology, service: ServiceName, statement: string, params: readonly unknown[] = []): Promise<SqlRow[]> {
  const handle = topology.get(service);
  const family = handle.kind === 'mysql' ? 'mysql' : handle.kind === 'postgres' ? 'postgres' : null;
  if (!family) throw new Error(`${service} is not a database; cannot run SQL on it`);
  const options = family === 'mysql' ? mysqlOptions(handle.info(), 'direct') : pgOptions(handle.info(), 'direct');
  const session = await connectSession(family, options, { label: 'tidemark-chaos-admin', statementTimeoutMs: 60_000 });
  try {
    return await session.query(statement, params);
  } finally {
    await session.close();
  }
}
