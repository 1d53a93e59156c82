import fs from 'node:fs';
import { open, readdir, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { quote } from '../../core/field-error.js';

/**
 * The one folder a CSV source's `path` is read from (SLUICE_IMPORT_DIR), and Sluice's data dir,
 * which is never read as a source even when the import folder contains it (SLUICE_IMPORT_DIR set
 * to a parent of the data dir, or `/`): it holds the database, its WAL and the encryption key.
 */
export interface ImportFolder {
  dir: string;
  dataDir: string;
}

/** A path refused as a source: `problem` is the sentence after the quoted value. */
export class ImportPathRefused extends Error {
  override name = 'ImportPathRefused';
  constructor(
    readonly value: string,
    readonly problem: string,
  ) {
    super(`${quote(value)} ${problem}`);
  }
}

/** The files of the data dir that hold secrets: also refused as a hard link elsewhere (same inode). */
const DATA_FILES = ['sluice.db', 'sluice.db-wal', 'sluice.db-shm', 'encryption.key'];

const DEFAULT_EXAMPLE = 'orders.csv';

/** The given path's file name when it is one (`/srv/exports/orders.csv` → `orders.csv`), for "move it there" hints. */
function exampleName(given: string): string {
  const base = path.basename(given.replaceAll('\\', '/'));
  return base === '' || base === '.' || base === '..' ? DEFAULT_EXAMPLE : base;
}

const outside = (folder: ImportFolder, given: string) =>
  `is outside the import folder ${folder.dir}; put the file there and give its name, such as ${quote(exampleName(given))}`;
const inDataDir = (folder: ImportFolder) =>
  `is in Sluice's data dir ${folder.dataDir}, which holds its database and keys and is never read as a source; ` +
  `put the file in the import folder ${folder.dir} and give its name, such as ${quote(DEFAULT_EXAMPLE)}`;
const aFolder = (folder: ImportFolder) =>
  `is a folder, not a file; give the name of a CSV file in the import folder ${folder.dir}, such as ${quote(DEFAULT_EXAMPLE)}`;
const systemTree = (folder: ImportFolder, tree: string) =>
  `is in ${tree}, which is never read as a source; put the file in the import folder ${folder.dir} and give its name, such as ${quote(DEFAULT_EXAMPLE)}`;
const notRegular = (folder: ImportFolder) =>
  `is not a regular file (a pipe, socket or device); give the name of a CSV file in the import folder ${folder.dir}`;

/** Whether `child` is `parent` or inside it (both absolute and normalized). */
function within(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${path.sep}`) && rel !== '..' && !path.isAbsolute(rel));
}

const errnoOf = (error: unknown) => (error as NodeJS.ErrnoException).code;

/**
 * The real path of `p` with every symlink resolved, also when its last parts do not exist yet (a
 * file that will be dropped later): the longest existing part is resolved, the rest appended.
 */
async function realpathLoose(p: string): Promise<string> {
  try {
    return await realpath(p);
  } catch (error) {
    const code = errnoOf(error);
    const parent = path.dirname(p);
    if ((code !== 'ENOENT' && code !== 'ENOTDIR') || parent === p) throw error;
    return path.join(await realpathLoose(parent), path.basename(p));
  }
}

/** The folders as the kernel sees them (symlinks resolved), read on each check: either may be a link that moved. */
async function realFolders(folder: ImportFolder): Promise<{ dir: string; dataDir: string }> {
  return { dir: await realpathLoose(folder.dir), dataDir: await realpathLoose(folder.dataDir) };
}

/**
 * The kernel's own trees: their files look regular (a size of 0, then anything) and say what no
 * source may read (`/proc/self/environ` holds SLUICE_ENCRYPTION_KEY). Refused even when the
 * import folder contains them (SLUICE_IMPORT_DIR=/).
 */
const SYSTEM_TREES = ['/proc', '/sys', '/dev'];

/**
 * Why a real path may not be read, or undefined when it may: it must lie inside the import folder,
 * not in the kernel's trees, and not inside the data dir unless the import folder itself is a
 * folder inside the data dir (the default, `<data dir>/imports`).
 */
function refusal(real: string, folders: { dir: string; dataDir: string }, folder: ImportFolder, given: string): string | undefined {
  if (!within(folders.dir, real)) return outside(folder, given);
  const tree = SYSTEM_TREES.find((t) => within(t, real));
  if (tree !== undefined) return systemTree(folder, tree);
  const importInsideData = folders.dir !== folders.dataDir && within(folders.dataDir, folders.dir);
  if (within(folders.dataDir, real) && !importInsideData) return inDataDir(folder);
  return undefined;
}

export interface ResolvedPath {
  /** The path relative to the import folder, as stored (`2026/orders.csv`). */
  name: string;
  /** Where it is opened: the import folder joined with `name`. */
  absolute: string;
}

/**
 * Resolves a `path` setting against the import folder, by its name: a relative name (the normal
 * form) or an absolute path inside the folder; `..` is resolved first, then every symlink (of the
 * folder too). Refuses (ImportPathRefused) what falls outside, the data dir, a folder, and
 * anything that is not a regular file. A file that does not exist yet is accepted: it may be
 * dropped there later, and every read checks again (openImportFile).
 */
export async function resolveImportPath(folder: ImportFolder, given: string): Promise<ResolvedPath> {
  if (given.includes('\0')) throw new ImportPathRefused(given, outside(folder, given));
  const folders = await realFolders(folder);
  const lexical = path.resolve(folder.dir, given);
  let name: string;
  if (within(folder.dir, lexical)) name = path.relative(folder.dir, lexical);
  else {
    // An absolute path through another spelling of the folder (a symlink to it, /tmp and /private/tmp).
    const real = await realpathLoose(lexical);
    if (!within(folders.dir, real)) throw new ImportPathRefused(given, outside(folder, given));
    name = path.relative(folders.dir, real);
  }
  const absolute = path.join(folder.dir, name);
  if (name === '') throw new ImportPathRefused(given, aFolder(folder));
  const why = refusal(await realpathLoose(absolute), folders, folder, given);
  if (why !== undefined) throw new ImportPathRefused(given, why);
  let info: fs.Stats | undefined;
  try {
    info = await stat(absolute);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT' && errnoOf(error) !== 'ENOTDIR') throw error;
  }
  if (info?.isDirectory()) throw new ImportPathRefused(given, aFolder(folder));
  if (info && !info.isFile()) throw new ImportPathRefused(given, notRegular(folder));
  return { name: name.split(path.sep).join('/'), absolute };
}

/**
 * Opens a `path` setting for reading, checking the file actually opened, not only its name: a
 * symlink swapped between the check and the open must not lead out of the folder. The name is
 * checked first (resolveImportPath, for the clear message); then the file is opened non-blocking
 * (a FIFO must not hang the read waiting for a writer), and its descriptor is checked: a regular
 * file (fstat), whose real path (/proc/self/fd on Linux; elsewhere, the name's real path holding
 * the same inode) is inside the folder and not the data dir, and that is not one of the data
 * dir's files under another name (a hard link). The caller closes the handle.
 */
export async function openImportFile(folder: ImportFolder, given: string): Promise<{ handle: FileHandle; size: number }> {
  const { absolute } = await resolveImportPath(folder, given);
  return openResolved(folder, given, absolute);
}

/**
 * The second half of openImportFile: opens `absolute` and checks the descriptor alone, trusting
 * nothing the name check saw (the tests call it directly, as a swap after the name check would).
 */
export async function openResolved(folder: ImportFolder, given: string, absolute: string): Promise<{ handle: FileHandle; size: number }> {
  const handle = await open(absolute, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK | fs.constants.O_NOCTTY);
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new ImportPathRefused(given, aFolder(folder));
    if (!info.isFile()) throw new ImportPathRefused(given, notRegular(folder));
    const folders = await realFolders(folder);
    const real = await openedPath(handle, absolute, info);
    if (real === undefined) throw new ImportPathRefused(given, 'changed while it was being opened; try again');
    const why = refusal(real, folders, folder, given);
    if (why !== undefined) throw new ImportPathRefused(given, why);
    for (const file of DATA_FILES) {
      const data = await stat(path.join(folders.dataDir, file)).catch(() => undefined);
      if (data && data.dev === info.dev && data.ino === info.ino) throw new ImportPathRefused(given, inDataDir(folder));
    }
    return { handle, size: info.size };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/**
 * The real path of an open file. On Linux the kernel says it (/proc/self/fd/N). Elsewhere the
 * name's real path is taken and kept only if it still holds the opened inode; otherwise the file
 * was moved or swapped meanwhile, and undefined says so.
 */
async function openedPath(handle: FileHandle, absolute: string, info: fs.Stats): Promise<string | undefined> {
  if (process.platform === 'linux') {
    try {
      const target = await readlink(`/proc/self/fd/${handle.fd}`);
      // A file deleted since it was opened reads as "<path> (deleted)": where it was cannot be told.
      if (path.isAbsolute(target) && !target.endsWith(' (deleted)')) return target;
      return undefined;
    } catch {
      // /proc not mounted (a minimal container): the portable check below.
    }
  }
  try {
    const real = await realpath(absolute);
    const now = await stat(real);
    return now.dev === info.dev && now.ino === info.ino ? real : undefined;
  } catch {
    return undefined;
  }
}

export interface ImportFile {
  /** Relative to the import folder, with `/` between folders: what a CSV source's `path` takes. */
  name: string;
  size: number;
  modifiedAt: string;
}

export interface ImportFileList {
  folder: string;
  files: ImportFile[];
  /** More files were there than listed (Default limits: 1,000 files, 8 folders deep, 20,000 entries looked at). */
  truncated: boolean;
}

/**
 * The files a CSV source may read: the import folder's regular files, in its subfolders too,
 * sorted by name. Hidden entries (`.name`), pipes, sockets and devices are left out, and so are
 * symlinks that point out of the folder (or into the data dir); a symlinked folder is not
 * entered (a link to a parent would loop). A missing folder lists as empty.
 */
export async function listImportFiles(
  folder: ImportFolder,
  o: { maxFiles?: number; maxDepth?: number; maxEntries?: number } = {},
): Promise<ImportFileList> {
  const maxFiles = o.maxFiles ?? 1000;
  const maxDepth = o.maxDepth ?? 8;
  // Entries looked at, folders included: a folder set wide (`/`) must not make one request walk a disk.
  let budget = o.maxEntries ?? 20_000;
  const files: ImportFile[] = [];
  let truncated = false;
  const folders = await realFolders(folder);

  const walk = async (dir: string, prefix: string, depth: number): Promise<void> => {
    let entries: fs.Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return; // missing or unreadable: nothing to offer from it
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name.startsWith('.')) continue;
      if (--budget < 0) {
        truncated = true;
        return;
      }
      const full = path.join(dir, entry.name);
      const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
      let real: string;
      let info: fs.Stats;
      try {
        real = await realpath(full);
        info = await stat(real);
      } catch {
        continue; // a dangling link, or a file gone meanwhile
      }
      if (refusal(real, folders, folder, name) !== undefined) continue;
      if (info.isDirectory()) {
        if (entry.isSymbolicLink()) continue;
        if (depth >= maxDepth) truncated = true;
        else await walk(full, name, depth + 1);
      } else if (info.isFile()) {
        if (files.length >= maxFiles) {
          truncated = true;
          return;
        }
        files.push({ name, size: info.size, modifiedAt: info.mtime.toISOString() });
      }
      if (truncated && files.length >= maxFiles) return;
    }
  };
  await walk(folder.dir, '', 1);
  return { folder: folder.dir, files, truncated };
}
