import type { ServiceHealth } from '../infra/health.js';
import type { TopologyInfo } from '../infra/types.js';
import { renderTable } from './table.js';

const addr = (e: { host: string; port: number }): string => `${e.host}:${e.port}`;

/** The `infra up|status` table: service, direct address, proxied address, health. */
export function topologyTable(topology: TopologyInfo, health: readonly ServiceHealth[]): string {
  const byName = new Map(health.map((h) => [h.service.name, h]));
  const rows = topology.services.map((s) => {
    const h = byName.get(s.name);
    const note = s.replicaOf ? ` (replica of ${s.replicaOf})` : '';
    return [s.name + note, addr(s.direct), addr(s.proxied), h ? h.health : '?'];
  });
  return renderTable([['service', 'direct', 'proxied', 'health'], ...rows]);
}

/** Extra lines: credentials and where things are, so people can connect by hand. */
export function topologyFooter(topology: TopologyInfo): string {
  const lines = [`toxiproxy API: ${topology.toxiproxyUrl}  (provider: ${topology.provider})`];
  if (topology.root) lines.push(`data and logs: ${topology.root}`);
  if (topology.images) {
    const images = Object.entries(topology.images).map(([kind, ref]) => `${kind} ${ref}`).join(', ');
    lines.push(`images (${topology.imageSet ?? 'custom'}): ${images}`);
  }
  if (topology.session) lines.push(`containers: label dev.tidemark.session=${topology.session}`);
  const mysql = topology.services.find((s) => s.kind === 'mysql');
  if (mysql?.credentials) lines.push(`mysql: user ${mysql.credentials.user} (empty password), cdc user ${mysql.cdcCredentials?.user}/${mysql.cdcCredentials?.password}, database ${mysql.credentials.database}`);
  const postgres = topology.services.find((s) => s.kind === 'postgres');
  if (postgres?.credentials) lines.push(`postgres: user ${postgres.credentials.user} (trust auth), database ${postgres.credentials.database}`);
  return lines.join('\n');
}
