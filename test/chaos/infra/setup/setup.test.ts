import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachePaths, cacheRoot, runSetup } from '../../../../chaos/src/infra/index.js';
import { copyDependenciesArgs, kafkaPom } from '../../../../chaos/src/infra/setup/kafka-pom.js';
import type { SetupStep } from '../../../../chaos/src/infra/setup/setup-step.js';

describe('setup', () => {
  it('puts the cache in $TIDEMARK_CACHE, else ~/.cache/tidemark', () => {
    expect(cacheRoot({ TIDEMARK_CACHE: '/x/cache' })).toBe('/x/cache');
    expect(cacheRoot({})).toMatch(/\.cache\/tidemark$/);
    expect(cachePaths('/c').kafkaLibs).toBe('/c/kafka/libs');
  });

  it('pins Kafka 3.9.x for kafkajs and copies runtime dependencies into the cache', () => {
    const pom = kafkaPom();
    expect(pom).toMatch(/<artifactId>kafka_2\.13<\/artifactId>\s*<version>3\.9\.\d+<\/version>/);
    expect(pom).toContain('<artifactId>slf4j-reload4j</artifactId>');
    expect(copyDependenciesArgs('/c/kafka/pom.xml', '/c/kafka/libs', '/c/m2')).toEqual([
      '-B', '-f', '/c/kafka/pom.xml', '-Dmaven.repo.local=/c/m2', 'dependency:copy-dependencies', '-DoutputDirectory=/c/kafka/libs', '-DincludeScope=runtime',
    ]);
  });

  it('runs only the steps whose check finds work, and stops at the first failure', async () => {
    const ran: string[] = [];
    const step = (title: string, present: string | undefined, fail = false): SetupStep => ({
      title,
      check: async () => present,
      run: async () => {
        ran.push(title);
        if (fail) throw new Error(`${title} broke: do X`);
        return `${title} ok`;
      },
    });
    const dir = await mkdtemp(join(tmpdir(), 'tidemark-setup-'));
    const lines: string[] = [];
    try {
      const report = await runSetup({
        paths: cachePaths(dir),
        print: (l) => lines.push(l),
        steps: [step('a', 'there'), step('b', undefined), step('c', undefined, true), step('d', undefined)],
      });
      expect(ran).toEqual(['b', 'c']);
      expect(report.ok).toBe(false);
      expect(report.steps.map((s) => s.outcome)).toEqual(['skipped', 'done', 'failed']);
      expect(lines.join('\n')).toMatch(/\[1\/4\] a: already done \(there\)[\s\S]*\[2\/4\] b: done in [\d.]+ s[\s\S]*\[3\/4\] c: FAILED[\s\S]*c broke: do X/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
