/**
 * Row keys for CSV rows: a row's identity within its connection, recorded forever in the row
 * ledger. A key must never change for a row that did not change, or the row is sent again.
 *
 * The rule:
 * - With `keyColumn`, the key is that column's trimmed value (`A-17`). An empty value, or a value
 *   already used by an earlier row of the same file, makes the row a row error; such a row gets a
 *   content key (below) so that it is still recorded, and can be replayed once fixed.
 * - Without it, the key is a content key: `h:` + the first 22 characters of base64url(sha256(…))
 *   over the row's non-empty fields, as [name, trimmed value] pairs sorted by name (by UTF-16
 *   code units, locale-independent), serialized as JSON (so no name or value can run into the
 *   next). 22 characters keep 132 bits: no collision in any file a person makes.
 *   The nth identical row of one file (n ≥ 2) gets `#n` appended: two identical lines are two
 *   rows (two equal invoice items are legitimate), and since identical rows are interchangeable,
 *   numbering them in file order is stable.
 *
 * So a content key does not change when other rows are inserted, deleted or reordered (it reads no
 * row index), when columns are reordered (pairs are sorted by name), or when an empty column is
 * added (empty fields are left out), nor when a value gains surrounding spaces. It does change when
 * any non-empty value or a column name changes: that is, to Sluice, another row. A column whose
 * header is empty is named by its position (`Column 3`), so moving that one does change the key.
 */
import * as crypto from 'node:crypto';

export function contentRowKey(fields: Record<string, string>): string {
  return digestRowKey(contentDigest(fields));
}

/** The sha256 a content key is made from. */
export function contentDigest(fields: Record<string, string>): Buffer {
  const pairs: Array<[string, string]> = [];
  for (const name of Object.keys(fields).sort(byCodeUnits)) {
    const value = (fields[name] ?? '').trim();
    if (value !== '') pairs.push([name, value]);
  }
  return sha256(JSON.stringify(pairs));
}

export function digestRowKey(digest: Buffer): string {
  return `h:${digest.toString('base64url').slice(0, 22)}`;
}

/** The key of the nth row (1-based) that has the same content key as earlier rows of one file. */
export function numberedRowKey(key: string, n: number): string {
  return n < 2 ? key : `${key}#${n}`;
}

/**
 * Counts content digests seen in one file, to number identical rows. Kept in typed arrays (20
 * bytes a digest, at most half full) rather than a Map of key strings (over 150 bytes an entry), so
 * that a file of a million rows costs tens of megabytes, not hundreds. Two digests are the same
 * when their first 128 bits are: a false match needs a sha256 collision on 128 bits.
 */
export class DigestCounter {
  private slots = new Uint32Array(4 * 1024);
  private counts = new Uint32Array(1024);
  private used = 0;

  /** How many times this digest has been seen, this time included. */
  count(digest: Buffer): number {
    if (this.used * 2 >= this.counts.length) this.grow();
    const words = [digest.readUInt32LE(0), digest.readUInt32LE(4), digest.readUInt32LE(8), digest.readUInt32LE(12)] as const;
    const at = this.find(this.slots, this.counts, words);
    const n = (this.counts[at] ?? 0) + 1;
    if (n === 1) {
      this.slots.set(words, at * 4);
      this.used++;
    }
    this.counts[at] = n;
    return n;
  }

  /** The slot holding `words`, or the empty slot where they go (linear probing). */
  private find(slots: Uint32Array, counts: Uint32Array, words: readonly [number, number, number, number]): number {
    const mask = counts.length - 1;
    for (let at = words[0] & mask; ; at = (at + 1) & mask) {
      if (counts[at] === 0) return at;
      const o = at * 4;
      if (slots[o] === words[0] && slots[o + 1] === words[1] && slots[o + 2] === words[2] && slots[o + 3] === words[3]) return at;
    }
  }

  private grow(): void {
    const slots = new Uint32Array(this.slots.length * 2);
    const counts = new Uint32Array(this.counts.length * 2);
    for (let at = 0; at < this.counts.length; at++) {
      const n = this.counts[at] ?? 0;
      if (n === 0) continue;
      const words = [
        this.slots[at * 4] ?? 0,
        this.slots[at * 4 + 1] ?? 0,
        this.slots[at * 4 + 2] ?? 0,
        this.slots[at * 4 + 3] ?? 0,
      ] as const;
      const to = this.find(slots, counts, words);
      slots.set(words, to * 4);
      counts[to] = n;
    }
    this.slots = slots;
    this.counts = counts;
  }
}

function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One call per row of a large file: `crypto.hash` (Node ≥ 20.12) skips the Hash object. */
function sha256(text: string): Buffer {
  return typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'buffer') : crypto.createHash('sha256').update(text).digest();
}
