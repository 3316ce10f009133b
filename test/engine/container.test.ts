import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * There is no Docker engine on this machine, so the image cannot be built here. These checks keep
 * the Dockerfile honest about what it claims: multi-stage, non-root, production dependencies
 * only, and copying files that exist and are not excluded from the build context.
 */
interface Stage {
  readonly name: string;
  readonly lines: string[];
}

function stages(dockerfile: string): Stage[] {
  const logical = dockerfile.replace(/\\\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const out: Stage[] = [];
  for (const line of logical) {
    const from = /^FROM\s+\S+\s+AS\s+(\S+)$/i.exec(line);
    if (from) out.push({ name: from[1]!, lines: [] });
    else if (/^FROM\s/i.test(line)) throw new Error(`unnamed stage: ${line}`);
    else out.at(-1)?.lines.push(line);
  }
  return out;
}

const dockerfile = readFileSync('Dockerfile', 'utf8');
const all = stages(dockerfile);
const byName = new Map(all.map((s) => [s.name, s]));
const runtime = all.at(-1)!;
const ignored = readFileSync('.dockerignore', 'utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));

describe('Dockerfile', () => {
  it('is multi-stage and ends in a runtime stage', () => {
    expect(all.map((s) => s.name)).toEqual(['build', 'deps', 'runtime']);
  });

  it('runs as a non-root user', () => {
    const users = runtime.lines.filter((l) => /^USER\s/i.test(l));
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^USER\s+(root|0)(:|$)/i);
    const afterUser = runtime.lines.slice(runtime.lines.indexOf(users[0]!) + 1);
    expect(afterUser.some((l) => /^RUN\s/i.test(l))).toBe(false);
  });

  it('ships only production dependencies: node_modules come from a stage that omitted dev dependencies', () => {
    const copies = runtime.lines.filter((l) => /^COPY\s+--from=/i.test(l));
    const modules = copies.filter((l) => /node_modules/.test(l));
    expect(modules).toEqual(['COPY --from=deps /src/node_modules ./node_modules']);
    expect(byName.get('deps')!.lines.join('\n')).toMatch(/npm ci --workspace engine --omit=dev/);
    // From the build stage only compiled output, never its node_modules (which hold TypeScript).
    for (const c of copies.filter((l) => /--from=build/.test(l))) expect(c).toMatch(/engine\/dist/);
    // The runtime installs only the shared libraries librdkafka links against: no npm, no compiler.
    expect(runtime.lines.some((l) => /^RUN\s+.*\b(npm|npx)\b/i.test(l))).toBe(false);
    expect(runtime.lines.some((l) => /^RUN\s+.*\b(g\+\+|gcc|make|python3|-dev)\b/i.test(l))).toBe(false);
  });

  it('copies only from earlier stages and from paths that exist and are in the build context', () => {
    all.forEach((stage, i) => {
      for (const line of stage.lines.filter((l) => /^COPY\s/i.test(l))) {
        const args = line.split(/\s+/).slice(1);
        const from = args.find((a) => a.startsWith('--from='))?.slice('--from='.length);
        const paths = args.filter((a) => !a.startsWith('--'));
        if (from) {
          expect(all.slice(0, i).map((s) => s.name), line).toContain(from);
          continue;
        }
        for (const src of paths.slice(0, -1)) {
          expect(existsSync(src), `${line}: ${src} missing`).toBe(true);
          expect(ignored.some((pattern) => src === pattern || src.startsWith(`${pattern}/`)), `${src} is excluded by .dockerignore`).toBe(false);
        }
      }
    });
  });

  it('serves the API and metrics on all interfaces, checks /health, and starts tidemark run', () => {
    const text = runtime.lines.join('\n');
    expect(text).toMatch(/TIDEMARK_API_ADDR=0\.0\.0\.0:8080/);
    expect(text).toMatch(/TIDEMARK_METRICS_ADDR=0\.0\.0\.0:9000/);
    expect(text).toMatch(/TIDEMARK_DATA_DIR=\/data/);
    expect(text).toMatch(/^EXPOSE 8080 9000$/m);
    expect(text).toMatch(/^HEALTHCHECK .*127\.0\.0\.1:8080\/health/m);
    expect(text).toMatch(/^ENTRYPOINT \["node", "--no-node-snapshot", "\/app\/engine\/bin\/tidemark\.js"\]$/m);
    expect(text).toMatch(/^CMD \["run"\]$/m);
    expect(existsSync('engine/bin/tidemark.js')).toBe(true);
  });
});

describe('docker-compose.chaos.yml engine service', () => {
  it('builds this Dockerfile and exposes the API, metrics, health and a data volume', () => {
    const compose = parse(readFileSync('docker-compose.chaos.yml', 'utf8')) as { services: Record<string, Record<string, any>> };
    const engine = compose.services.engine!;
    expect(engine.build).toMatchObject({ context: '.', dockerfile: 'Dockerfile' });
    // The base image is the catalog's (official by default, the local one with --images local).
    expect(engine.build.args.NODE_IMAGE).toBe('${TIDEMARK_IMAGE_NODE:-node:20-bookworm-slim}');
    expect(engine.ports).toEqual(['8080:8080', '9000:9000']);
    expect(engine.environment).toMatchObject({ TIDEMARK_API_ADDR: '0.0.0.0:8080', TIDEMARK_METRICS_ADDR: '0.0.0.0:9000', TIDEMARK_DATA_DIR: '/data' });
    expect(engine.volumes).toEqual(['/data']);
    expect(engine.command[0]).toBe('run');
    expect(engine.healthcheck.test.join(' ')).toMatch(/\/health/);
  });
});
