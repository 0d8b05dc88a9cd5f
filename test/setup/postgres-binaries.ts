import { constants } from 'node:fs';
import { access, readdir } from 'node:fs/promises';
import { delimiter, join } from 'node:path';

/** Where the PostgreSQL server programs live. */
export interface PostgresBinaries {
  readonly initdb: string;
  readonly pgCtl: string;
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function inDirectory(dir: string): Promise<PostgresBinaries | null> {
  const initdb = join(dir, 'initdb');
  const pgCtl = join(dir, 'pg_ctl');
  return (await isExecutable(initdb)) && (await isExecutable(pgCtl)) ? { initdb, pgCtl } : null;
}

/** Debian/Ubuntu keep the server programs in /usr/lib/postgresql/<major>/bin, off PATH. */
async function debianDirectories(): Promise<string[]> {
  try {
    const versions = await readdir('/usr/lib/postgresql');
    return versions
      .filter((version) => /^\d+$/.test(version))
      .sort((a, b) => Number(b) - Number(a))
      .map((version) => join('/usr/lib/postgresql', version, 'bin'));
  } catch {
    return [];
  }
}

/** `initdb` and `pg_ctl` from PATH, else from the newest Debian install; `null` when absent. */
export async function findPostgresBinaries(): Promise<PostgresBinaries | null> {
  const pathDirs = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir !== '');
  for (const dir of [...pathDirs, ...(await debianDirectories())]) {
    const found = await inDirectory(dir);
    if (found !== null) return found;
  }
  return null;
}
