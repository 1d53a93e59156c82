import { createReadStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { ulid } from 'ulid';
import type { SourceRow } from '../sources/source-row.js';

/** Lines are written in pieces of about this many characters, so a read costs few writes. */
const FLUSH_CHARS = 256 * 1024;

/**
 * The rows of one read of a pull source, kept in a private file until the read is complete
 * (engine/NOTES.md, "A failed read changes nothing"): nothing reaches the ledger before the last
 * row is read, and a read that fails part way is discarded with one unlink, whatever its size.
 * One JSON line a row, so memory stays flat however long the source is. The file is made with
 * mode 0600 in a 0700 folder (it holds the rows' data, as the database does) and its name carries
 * the process id, so that a file left by a process that died can be told from a live one's.
 */
export class StagedRead {
  readonly file: string;
  #handle: fs.FileHandle | undefined;
  #pending: string[] = [];
  #chars = 0;
  /** Rows written. */
  count = 0;

  private constructor(file: string, handle: fs.FileHandle) {
    this.file = file;
    this.#handle = handle;
  }

  static async create(dir: string): Promise<StagedRead> {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `read-${process.pid}-${ulid().toLowerCase()}.ndjson`);
    // 'wx': a new file only, never one that is already there (or a link planted in its place).
    return new StagedRead(file, await fs.open(file, 'wx', 0o600));
  }

  async add(row: SourceRow): Promise<void> {
    const line = JSON.stringify(row);
    this.#pending.push(line);
    this.#chars += line.length + 1;
    this.count++;
    if (this.#chars >= FLUSH_CHARS) await this.#flush();
  }

  async #flush(): Promise<void> {
    if (this.#pending.length === 0 || !this.#handle) return;
    const text = this.#pending.join('\n') + '\n';
    this.#pending = [];
    this.#chars = 0;
    await this.#handle.write(text);
  }

  /** The rows in the order they were added; the file is complete (closed) first. */
  async *rows(): AsyncGenerator<SourceRow> {
    await this.#flush();
    await this.#handle?.close();
    this.#handle = undefined;
    const lines = createInterface({ input: createReadStream(this.file, { encoding: 'utf8' }), crlfDelay: Infinity });
    try {
      for await (const line of lines) if (line !== '') yield JSON.parse(line) as SourceRow;
    } finally {
      lines.close();
    }
  }

  /** Closes and removes the file; safe to call more than once. */
  async discard(): Promise<void> {
    this.#pending = [];
    await this.#handle?.close().catch(() => {});
    this.#handle = undefined;
    await fs.rm(this.file, { force: true });
  }
}

/**
 * Removes the staged reads that processes which no longer exist left behind (killed mid-read):
 * called at start. Another live process's reads (several processes on one host, on Postgres) stay.
 */
export async function sweepStagedReads(dir: string): Promise<number> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const pid = /^read-(\d+)-[0-9a-z]+\.ndjson$/.exec(name)?.[1];
    if (pid === undefined || Number(pid) === process.pid || isAlive(Number(pid))) continue;
    await fs.rm(path.join(dir, name), { force: true });
    removed++;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
