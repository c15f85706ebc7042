/**
 * Published versions: `published.json` beside the definitions records, for every process
 * version that has been released to run cases, the content hash it was released with. Cases
 * carry their definition, so an edit never breaks one; but an edit that keeps the version
 * number would make two different processes answer to the same version in the Web UI, the
 * reports and the records. So a definition whose version is published with another content is
 * refused (VERSION_CHANGED) until its version is raised — comments and layout do not count,
 * the hash is of the parsed content. `aftercare publish` adds the versions that are new.
 */
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Problem } from '../problems.js';

export const publishedFileName = 'published.json';

/** process → version → content hash. */
export type Published = Record<string, Record<string, string>>;

export interface PublishedFile {
  file: string;
  published: Published;
}

function isPublished(value: unknown): value is Published {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(
    (versions) => typeof versions === 'object' && versions !== null && !Array.isArray(versions) && Object.entries(versions).every(([v, hash]) => /^\d+$/.test(v) && typeof hash === 'string'),
  );
}

/** The published.json of a folder, if it has one; a broken file is a located problem. */
export async function readPublished(folder: string): Promise<{ found?: PublishedFile; problem?: Problem }> {
  const file = path.join(folder, publishedFileName);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch {
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { problem: { file, line: 1, column: 1, path: '', code: 'FILE_UNREADABLE', message: `${publishedFileName} is not valid JSON (${(error as Error).message}); restore it from version control or run \`npx aftercare publish\`` } };
  }
  if (!isPublished(data)) {
    return { problem: { file, line: 1, column: 1, path: '', code: 'FILE_UNREADABLE', message: `${publishedFileName} must map each process to its versions and their content hashes, like {"complaint": {"1": "<hash>"}}` } };
  }
  return { found: { file, published: data } };
}

/** `published` with every given definition version added (sorted, for a stable file). */
export function withVersions(published: Published, versions: readonly { process: string; version: number; hash: string }[]): Published {
  const next: Published = structuredClone(published);
  for (const { process, version, hash } of versions) (next[process] ??= {})[String(version)] = hash;
  return Object.fromEntries(
    Object.entries(next)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([process, byVersion]) => [process, Object.fromEntries(Object.entries(byVersion).sort(([a], [b]) => Number(a) - Number(b)))]),
  );
}

export interface PublishedVersion {
  process: string;
  version: number;
  hash: string;
  /** Not in published.json before this call. */
  added: boolean;
}

/**
 * Records `versions` in the folder's published.json (keeping what it had) and says which are
 * new. The caller has validated them: a version published with other content never gets here.
 */
export async function publishVersions(folder: string, versions: readonly Omit<PublishedVersion, 'added'>[]): Promise<PublishedVersion[]> {
  const { found, problem } = await readPublished(folder);
  if (problem) throw new Error(problem.message);
  const before = found?.published ?? {};
  await fs.writeFile(path.join(folder, publishedFileName), `${JSON.stringify(withVersions(before, versions), null, 2)}\n`);
  return versions.map((v) => ({ ...v, added: before[v.process]?.[String(v.version)] === undefined }));
}
