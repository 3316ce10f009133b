import { createHash } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/**
 * What decides whether an image must be rebuilt: a short hash of its recipe. Recipe files
 * (Dockerfiles, scripts, sources) count by content; large staged artefacts (jars, binaries) by
 * name, size and modification time, which is enough to see setup replace them and keeps a warm
 * `images build` at a few seconds instead of re-reading hundreds of megabytes.
 */
export function hashStrings(parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}\n`);
  return hash.digest('hex').slice(0, 16);
}

/** Every file under root (sorted, relative), following no symlinks into other trees. */
export async function listFiles(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else out.push(relative(root, full));
    }
  };
  const info = await stat(root);
  if (info.isDirectory()) await walk(root);
  else out.push('');
  return out;
}

/** Content hash lines for every file under each path (a file or a directory), relative to base. */
export async function contentLines(base: string, paths: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const path of paths) {
    for (const file of await listFiles(join(base, path))) {
      const full = join(base, path, file);
      lines.push(`${join(path, file)} ${createHash('sha256').update(await readFile(full)).digest('hex')}`);
    }
  }
  return lines;
}

/** Name, size and mtime lines for every file under each path (artefacts too big to read each time). */
export async function statLines(base: string, paths: readonly string[]): Promise<string[]> {
  const lines: string[] = [];
  for (const path of paths) {
    for (const file of await listFiles(join(base, path))) {
      const info = await stat(join(base, path, file));
      lines.push(`${join(path, file)} ${info.size} ${Math.floor(info.mtimeMs)}`);
    }
  }
  return lines;
}
