import { createHash } from 'node:crypto';

/**
 * Stable row keys for a sheet that has no key column.
 *
 * Sluice reads the whole sheet on every run and must know which rows it already sent. Remembering a
 * row count or row numbers breaks as soon as someone inserts a row in the middle, deletes one, or
 * sorts the sheet: rows are then sent twice or never. Instead every row gets a *row key*, and each
 * connection keeps a *snapshot* of its last read — the rows in sheet order, each with its key, a
 * digest (`hash`) of its cell values and a *cell fingerprint* (`cells`, see cellFingerprint()). The
 * next read matches its rows against that snapshot, so a row keeps its key when:
 * - rows are inserted anywhere (only the new rows get new keys);
 * - rows are deleted;
 * - the sheet is sorted (any reordering of unchanged rows);
 * - the row is edited in place (its hash changes, the rows around it do not move, and at least half
 *   of its values stay: see `EDIT_SIMILARITY`), so an edit is not sent again;
 * - columns are inserted, reordered or renamed (every hash changes, but the order and the values do
 *   not), so a layout change is not a mass resend;
 * - it has identical twins: duplicates are distinct rows, told apart by their order among themselves.
 *
 * A row deleted and a different one typed in its place is *not* an edit: fewer than half of the
 * values are the same, so the new row gets a new key (it is sent) and the old key counts as deleted.
 *
 * Limits, all of them cases where the sheet alone cannot tell what happened:
 * - A row edited *and* moved in the same read is not recognised: it gets a new key (and is sent
 *   again); its old key is dropped as deleted.
 * - A row more than half rewritten is new (sent again), like a replaced row; a row that replaces a
 *   deleted one between the same neighbours *and* shares at least half of its values with it (same
 *   customer, product and currency, say) still looks like an edit and inherits the key.
 * - Rows of a snapshot saved without fingerprints (or read without them) are paired by position
 *   alone, as edits, whatever their values: a replaced row then inherits the deleted row's key.
 * - A row edited to become identical to another row can take that row's key, and one of the two is
 *   then counted as new.
 * - Identical rows are interchangeable: which of them holds which of their keys may change (say, the
 *   last key is dropped when one of three identical rows is deleted). As their contents are the
 *   same, nothing is sent twice or missed because of it.
 */
export interface SnapshotEntry {
  /** The row's key: stable across reads, unique within one read. */
  key: string;
  /** A digest of the row's cell values, computed by the caller; only compared for equality. */
  hash: string;
  /**
   * The row's cellFingerprint(), which tells an edit from a replacement. Absent in snapshots saved
   * before fingerprints existed: such a row pairs as an edit by position alone.
   */
  cells?: string;
}

/** How many base64url characters of a value's sha256 stand for it in a fingerprint (36 bits). */
const TOKEN_LENGTH = 6;

/**
 * The fingerprint of a row's cells: a short hash of each non-empty trimmed value, sorted, joined by
 * '.'. Position-independent, so an inserted or reordered column leaves it almost unchanged (an empty
 * inserted column, a renamed header: not at all). `''` for a row of empty cells.
 */
export function cellFingerprint(cells: readonly string[]): string {
  const tokens: string[] = [];
  for (const cell of cells) {
    const value = cell.trim();
    if (value !== '') tokens.push(createHash('sha256').update(value).digest('base64url').slice(0, TOKEN_LENGTH));
  }
  return tokens.sort().join('.');
}

/** The share of values two fingerprints have in common, as a multiset: |A ∩ B| / max(|A|, |B|); 1 for two empty ones. */
export function similarity(a: string, b: string): number {
  const tokens = (fingerprint: string): string[] => (fingerprint === '' ? [] : fingerprint.split('.').sort());
  return overlap(tokens(a), tokens(b));
}

/**
 * The least similarity() at which a changed row between the same neighbours is an edit of the old
 * one (and keeps its key) rather than a new row typed in place of a deleted one: half of the values.
 * Edits change one or two cells; a replacement changes most of them.
 */
const EDIT_SIMILARITY = 0.5;

/** The prefix of a key minted for a new row: `h:<hash>`, then `#2`, `#3`… when taken. */
const NEW_KEY_PREFIX = 'h:';

/** In `#matched`: a current row with no previous row (yet); from `#firstFree`: none found. */
const NONE = -1;

/**
 * How many cells the alignment of held rows may fill in one read, all gaps together (1 byte each):
 * a 100,000-row gap with 40 inserts and edits in it, and a fixed bound on time and memory.
 */
const ALIGN_BUDGET = 4_000_000;

/**
 * How many cells the pairing of edits may fill in one read, all gaps together (1 byte and one
 * similarity() each): every shift of a 1,400-row gap, or for a 100,000-row column change the shifts
 * its inserts and deletes need plus 19 either way. Beyond it, a gap pairs greedily (`LOOKAHEAD`).
 */
const PAIR_BUDGET = 4_000_000;

/** Over `PAIR_BUDGET`: how many unused previous rows a current row looks through for one to pair with. */
const LOOKAHEAD = 16;

/**
 * Gives each row of one read of a sheet its key, one row at a time.
 *
 * The matching, for a read with a previous snapshot:
 * 1. **Exact matches, while streaming.** A row whose hash equals that of a previous row not yet
 *    taken takes that row's key at once: the caller can store it immediately. Among several such
 *    previous rows (duplicates) it takes the first one after the previous row matched last (its
 *    anchor), failing that the first one — so unchanged duplicates pair up in order.
 * 2. **Edits, at finish().** Each run of consecutive rows left waiting (a *gap*) lies between two
 *    matched rows, its *anchors* (the start and end of the sheet count as anchors). When the
 *    anchors kept their old order, the gap's rows are paired, in order, with the unmatched previous
 *    rows between the anchors' old positions: each paired row is an edit and inherits that key. A
 *    pair must be *alike*: its fingerprints have a similarity() of at least `EDIT_SIMILARITY`, or
 *    one of the two rows has none. Of the ways to pair in order, the one with the most pairs wins,
 *    then the one with the most similar pairs, then the one that pairs earliest: a longest common
 *    subsequence under "alike", the rows that pair perfectly at either end of the gap (the same
 *    values, or no fingerprints: every row, for a snapshot without them, which pairs in order up to
 *    the shorter count) taken first, the rest by a dynamic programme over the band of shifts that
 *    fits `PAIR_BUDGET`, or beyond it greedily. So a row typed in place of a deleted one, or
 *    inserted among edited rows (a column change), is left unpaired rather than taking a key: a
 *    row may be sent again, but none is silently lost. Every previous row is inherited at most
 *    once; gaps are served in sheet order (their old spans can overlap only when rows were
 *    reordered).
 * 3. **New keys.** Every row still unpaired is new and gets `h:<hash>`, or if another row of this
 *    read already holds that key (an edited row that kept the key minted for its old content, a
 *    duplicate) the first free of `h:<hash>#2`, `h:<hash>#3`… Keys of deleted rows are not reserved:
 *    a row deleted and later restored gets its old key back and is not sent again.
 *
 * One change to that plan, for duplicates right after a gap. With plain greedy matching an edit of
 * one of several identical rows was sent again: in `[x, x] → [y, x]` the remaining `x` took the
 * first `x`'s key and left `y` (the edited first row) nothing to inherit. Taking the second `x`
 * instead would be wrong for `[x, x] → [n, x, x]`, an insert; only the rows after it tell the two
 * apart. So while a gap is open, a row is matched at once only when that is not in doubt. Its
 * previous row is expected in a *window* of the unused previous rows after the gap's left anchor:
 * skipping one per row held so far, plus zero or one per waiting row (an insert or an edit). A row
 * with exactly one unused previous row of its hash in the window takes it (and closes the gap);
 * with none, the rule of step 1; with two or more it is *held*: it waits like an unmatched row.
 * When the gap closes (at the next match, or the end of the sheet) its held rows are matched within
 * the gap's old span, before step 2, by a longest common subsequence that leaves the most rows to
 * pair as edits (alike rows, as in step 2): equal rows at the end of the gap first (an edit or an
 * insert at the start of a run of identical rows leaves the rest aligned to the end), the remainder
 * by a dynamic programme over the band of shifts the gap allows. Beyond `ALIGN_BUDGET`, held rows
 * take the unused rows of their hash in the span in order instead (inserts stay new, but edits among
 * them may be sent again). A held row left over (an extra copy) takes, by the rule of step 1, an
 * unused row after the span if there is one, so as not to take a row the span's edits pair with.
 * On a sheet of distinct rows nothing is ever held and the matching is exactly the plan above. On a
 * sheet made of back-to-back runs of identical rows (`a a b b c c…`) an insert can keep every later
 * row waiting until finish(): the keys are still right, only later.
 * Without a previous snapshot (or with an empty one), every row is new and gets its key at once.
 *
 * The keys depend only on the previous snapshot and the current hashes and fingerprints, so a run
 * interrupted before saving its snapshot computes the same keys again. Time is O(n log n) for n
 * rows (plus the bounded alignment and pairing); memory is a few integer arrays over the previous
 * rows, one over the current rows, the current snapshot and the fingerprints of the rows in gaps.
 */
export class RowIdentity {
  readonly #previous: readonly SnapshotEntry[];
  readonly #history: boolean;

  /** Hash → group: the previous rows with that hash. */
  readonly #groupOfHash = new Map<string, number>();
  /** Previous row → its group. */
  readonly #groupOf: Int32Array;
  /** Previous row indexes ordered by group, then index: group g is `[#groupStart[g], #groupStart[g + 1])`. */
  readonly #byHash: Int32Array;
  readonly #groupStart: Int32Array;
  /** Previous row → its position in `#byHash`. */
  readonly #position: Int32Array;
  /** Group → how many of its previous rows are not matched yet. */
  readonly #remaining: Int32Array;
  /**
   * "Next free" forests (each entry points to itself while free, past itself once used; finding the
   * root skips the used ones): over `#byHash` positions (the next free row of a hash), over previous
   * rows, and over previous rows backwards (entry `i + 1` stands for row `i`, entry 0 for row -1).
   * Each has a sentinel that is never used.
   */
  readonly #nextFreePosition: Int32Array;
  readonly #nextFreeRow: Int32Array;
  readonly #prevFreeRow: Int32Array;
  /** Previous key → previous row, to tell whether a minted key is taken. */
  readonly #rowOfKey = new Map<string, number>();

  /** The current rows; the key of a waiting row is filled in by finish(). */
  readonly #rows: SnapshotEntry[] = [];
  /** Current row → the previous row it matched or inherits from, or NONE. */
  #matched: Int32Array;
  /** The gaps: [start, end) in current rows, the previous rows of their anchors, whether rows were held. */
  readonly #gapStart: number[] = [];
  readonly #gapEnd: number[] = [];
  readonly #gapLeft: number[] = [];
  readonly #gapRight: number[] = [];
  readonly #gapHeld: boolean[] = [];
  #gapOpen = false;
  /** The previous row matched last by step 1, -1 before any. */
  #anchor = -1;
  /** The window of the open gap: its first and last unused previous row (nothing is used while a gap is open). */
  #windowLow = 0;
  #windowHigh = 0;
  #budget = ALIGN_BUDGET;
  #pairBudget = PAIR_BUDGET;
  #finished = false;

  /** Previous and current rows' fingerprints as sorted token numbers, made when first compared. */
  readonly #previousTokens: Array<Int32Array | undefined>;
  readonly #currentTokens: Array<Int32Array | undefined> = [];
  /** Token → its number, for the fingerprints compared in this read. */
  readonly #tokenNumber = new Map<string, number>();

  /** Keys minted in this read, and per `h:<hash>` the first suffix that may still be free. */
  readonly #minted = new Set<string>();
  readonly #nextSuffix = new Map<string, number>();

  constructor(previous?: readonly SnapshotEntry[]) {
    this.#previous = previous ?? [];
    const m = this.#previous.length;
    this.#history = m > 0;

    const counts: number[] = [];
    this.#groupOf = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      const entry = this.#entry(i);
      const seen = this.#rowOfKey.get(entry.key);
      if (seen !== undefined) {
        throw new Error(`the previous snapshot has the key ${JSON.stringify(entry.key)} at rows ${seen} and ${i}; keys must be unique`);
      }
      this.#rowOfKey.set(entry.key, i);
      let g = this.#groupOfHash.get(entry.hash);
      if (g === undefined) {
        g = counts.length;
        this.#groupOfHash.set(entry.hash, g);
        counts.push(0);
      }
      this.#groupOf[i] = g;
      counts[g] = (counts[g] ?? 0) + 1;
    }

    this.#remaining = Int32Array.from(counts);
    this.#groupStart = new Int32Array(counts.length + 1);
    for (let g = 0; g < counts.length; g++) this.#groupStart[g + 1] = at(this.#groupStart, g) + (counts[g] ?? 0);
    const fill = this.#groupStart.slice(0, counts.length);
    this.#byHash = new Int32Array(m);
    this.#position = new Int32Array(m);
    for (let i = 0; i < m; i++) {
      const g = at(this.#groupOf, i);
      const p = at(fill, g);
      fill[g] = p + 1;
      this.#byHash[p] = i;
      this.#position[i] = p;
    }

    this.#nextFreePosition = identity(m + 1);
    this.#nextFreeRow = identity(m + 1);
    this.#prevFreeRow = identity(m + 1);
    this.#matched = new Int32Array(this.#history ? Math.max(16, m) : 0);
    this.#previousTokens = new Array<Int32Array | undefined>(m).fill(undefined);
  }

  /**
   * The next row of the sheet, in order: the digest of its values and their cellFingerprint(),
   * which goes into the snapshot with it. Without `cells` the row pairs as an edit by position
   * alone. Returns its key now when known (an unchanged row, or no history), or undefined when it
   * must wait for finish() (maybe an edit, maybe new, maybe one of several identical rows that only
   * the rows after it tell apart). A key returned here is final.
   */
  next(hash: string, cells?: string): string | undefined {
    if (this.#finished) throw new Error('RowIdentity.next() was called after finish()');
    const i = this.#rows.length;
    if (!this.#history) {
      const key = this.#mint(hash);
      this.#rows.push(snapshotEntry(key, hash, cells));
      return key;
    }
    if (this.#matched.length <= i) {
      const grown = new Int32Array(this.#matched.length * 2);
      grown.set(this.#matched);
      this.#matched = grown;
    }

    const g = this.#groupOfHash.get(hash);
    let old = NONE;
    let held = false;
    if (g !== undefined && at(this.#remaining, g) > 0) {
      if (this.#gapOpen) {
        const first = this.#firstFree(g, this.#windowLow - 1);
        if (first !== NONE && first <= this.#windowHigh) {
          const second = this.#firstFree(g, first);
          if (second !== NONE && second <= this.#windowHigh) held = true;
          else old = first;
        }
      }
      if (old === NONE && !held) old = this.#firstFreeAfter(g, this.#anchor);
    }

    if (old !== NONE) {
      this.#use(old);
      this.#matched[i] = old;
      this.#rows.push(snapshotEntry(this.#entry(old).key, hash, cells));
      if (this.#gapOpen) this.#closeGap(i, old);
      this.#anchor = old;
      return this.#current(i).key;
    }

    this.#matched[i] = NONE;
    this.#rows.push(snapshotEntry('', hash, cells));
    if (!this.#gapOpen) {
      this.#gapStart.push(i);
      this.#gapLeft.push(this.#anchor);
      this.#gapHeld.push(false);
      this.#gapOpen = true;
      this.#windowLow = this.#windowHigh = this.#nextFree(this.#anchor + 1);
    }
    // A held row takes one previous row of the window; a waiting row may or may not (insert or edit).
    if (held) {
      this.#gapHeld[this.#gapHeld.length - 1] = true;
      this.#windowLow = this.#nextFree(Math.min(this.#windowLow + 1, this.#previous.length));
    }
    this.#windowHigh = this.#nextFree(Math.min(this.#windowHigh + 1, this.#previous.length));
    return undefined;
  }

  /** The keys of the rows that next() left undecided, in the order they came. Call once, after the last next(). */
  finish(): string[] {
    if (this.#finished) throw new Error('RowIdentity.finish() was called twice');
    this.#finished = true;
    if (!this.#history) return [];
    if (this.#gapOpen) this.#closeGap(this.#rows.length, this.#previous.length);

    const gaps = this.#gapStart.length;
    for (let k = 0; k < gaps; k++) {
      // Held rows matched when the gap closed split it; each part pairs between its own anchors.
      const { start, end, right } = this.#gap(k);
      let left = this.#gap(k).left;
      let run = start;
      for (let i = start; i < end; i++) {
        const old = at(this.#matched, i);
        if (old === NONE) continue;
        this.#pair(run, i, left, old);
        left = old;
        run = i + 1;
      }
      this.#pair(run, end, left, right);
    }

    const keys: string[] = [];
    for (let k = 0; k < gaps; k++) {
      const { start, end } = this.#gap(k);
      for (let i = start; i < end; i++) {
        const row = this.#current(i);
        if (at(this.#matched, i) === NONE) row.key = this.#mint(row.hash);
        keys.push(row.key);
      }
    }
    return keys;
  }

  /**
   * The snapshot to keep for the next read: every current row in sheet order with its key, hash and
   * fingerprint (when next() had one).
   * Only after finish(). It is this object's own array, not a copy.
   */
  snapshot(): SnapshotEntry[] {
    if (!this.#finished) throw new Error('RowIdentity.snapshot() needs finish() first');
    return this.#rows;
  }

  /** Ends the open gap before current row `end`, whose right anchor is previous row `right`, and matches its held rows. */
  #closeGap(end: number, right: number): void {
    this.#gapOpen = false;
    this.#gapEnd.push(end);
    this.#gapRight.push(right);
    const k = this.#gapStart.length - 1;
    if (this.#gapHeld[k] !== true) return;
    const { start, left } = this.#gap(k);
    if (left < right && !this.#align(start, end, left, right)) {
      // Over budget: in order, each held row takes the next unused row of its hash within the span.
      let cursor = left;
      for (let i = start; i < end; i++) {
        const g = this.#waitingGroup(i);
        const old = g === undefined ? NONE : this.#firstFree(g, cursor);
        if (old === NONE || old >= right) continue;
        this.#take(i, old);
        cursor = old;
      }
    }
    // A held row left over has no place in the span (say, an extra copy): it is matched outside the
    // span if it can be, so that it does not take a row the span's edits will pair with.
    for (let i = start; i < end; i++) {
      const g = this.#waitingGroup(i);
      if (g !== undefined) this.#take(i, this.#firstFreeAfter(g, Math.max(left, right)));
    }
  }

  /**
   * Matches current rows [start, end) with the unused previous rows between `left` and `right` by
   * a longest common subsequence: equal rows at the end first, then a dynamic programme that
   * maximises exact matches and then the rows left to pair as edits (the alike rows that pair in
   * order in each stretch between two matches, as in step 2). The programme is banded: a held row
   * takes one previous row and a waiting row zero or one (an insert or an edit), so row r of the gap
   * can only be matched within a few columns (the gap's waiting rows, plus the surplus of previous
   * rows or of held rows) of its held rows before it. Returns false, matching nothing (not even the equal rows
   * at the end, which would leave a hole for a wrong pair in the middle), when the band does not fit
   * in the budget.
   */
  #align(start: number, end: number, left: number, right: number): boolean {
    // Equal rows at the end: found first, taken only once the rest is known to fit the budget.
    let i = end - 1;
    let j = this.#prevFree(right - 1);
    while (i >= start && j > left && this.#current(i).hash === this.#entry(j).hash) {
      i--;
      j = this.#prevFree(j - 1);
    }
    const takeEnd = (): void => {
      for (let r = end - 1, old = this.#prevFree(right - 1); r > i; r--, old = this.#prevFree(old - 1)) this.#take(r, old);
    };
    const rows = i - start + 1;
    const heldBefore = new Int32Array(Math.max(rows, 0) + 1);
    for (let r = 1; r <= rows; r++) heldBefore[r] = at(heldBefore, r - 1) + (this.#waitingGroup(start + r - 1) === undefined ? 0 : 1);
    const held = at(heldBefore, Math.max(rows, 0));
    if (rows <= 0 || j <= left || held === 0) {
      takeEnd();
      return true;
    }

    const free: number[] = [];
    for (let p = this.#nextFree(left + 1); p <= j; p = this.#nextFree(p + 1)) {
      if (free.length >= this.#budget) {
        this.#budget = 0;
        return false;
      }
      free.push(p);
    }
    const cols = free.length;
    const spareOld = Math.max(0, cols - rows);
    const spareHeld = Math.max(0, held - cols);
    const low = (r: number): number => Math.max(0, at(heldBefore, r) - spareHeld);
    const high = (r: number): number => Math.min(cols, r + spareOld);
    const offset = new Int32Array(rows + 1);
    for (let r = 1; r <= rows; r++) offset[r] = at(offset, r - 1) + high(r) - low(r) + 1;
    const cells = at(offset, rows);
    if (cells > this.#budget) {
      this.#budget -= Math.min(this.#budget, rows + cols);
      return false;
    }
    this.#budget -= cells;
    takeEnd();

    // Score = matches × weight + pairs: one more exact match beats any number of pairs.
    const weight = rows + cols + 1;
    const step = new Uint8Array(cells);
    let above = new Float64Array(cols + 1).fill(-Infinity);
    let here = new Float64Array(cols + 1).fill(-Infinity);
    for (let c = 0; c <= high(0); c++) above[c] = 0;
    for (let r = 1; r <= rows; r++) {
      const hash = this.#current(start + r - 1).hash;
      const from = low(r);
      if (from > 0) here[from - 1] = -Infinity;
      for (let c = from, to = high(r); c <= to; c++) {
        const up = above[c] ?? -Infinity;
        let best = up;
        let move = UP;
        if (c > 0) {
          // An exact match, an edit (only between alike rows), or neither.
          const old = free[c - 1] ?? 0;
          const gain = this.#entry(old).hash === hash ? weight : this.#alike(old, start + r - 1) ? 1 : -Infinity;
          const diagonal = (above[c - 1] ?? -Infinity) + gain;
          const back = here[c - 1] ?? -Infinity;
          best = Math.max(diagonal, up, back);
          move = best === diagonal && gain > -Infinity ? DIAGONAL : best === up ? UP : BACK;
        }
        here[c] = best;
        step[at(offset, r - 1) + c - from] = move;
      }
      [above, here] = [here, above];
    }
    for (let r = rows, c = cols; r > 0;) {
      const move = step[at(offset, r - 1) + c - low(r)] ?? UP;
      if (move === DIAGONAL) {
        const old = free[c - 1] ?? 0;
        if (this.#entry(old).hash === this.#current(start + r - 1).hash) this.#take(start + r - 1, old);
        r--;
        c--;
      } else if (move === UP) {
        r--;
      } else {
        c--;
      }
    }
    return true;
  }

  /** The group of current row i if it still waits and an unused previous row has its hash (a held row); else undefined. */
  #waitingGroup(i: number): number | undefined {
    if (at(this.#matched, i) !== NONE) return undefined;
    const g = this.#groupOfHash.get(this.#current(i).hash);
    return g !== undefined && at(this.#remaining, g) > 0 ? g : undefined;
  }

  /**
   * Step 2 for current rows [start, end), all unmatched: pairs them in order with the unused previous
   * rows between `left` and `right`, each pair alike; the most pairs, then the most similar, then the
   * earliest. Rows that pair perfectly (likeness 1) at the start or the end are taken first: some
   * best pairing has them (swap one for the first or last pair of any other), and a snapshot
   * without fingerprints, or a column change that kept the values, is done then in O(pairs).
   */
  #pair(start: number, end: number, left: number, right: number): void {
    if (left >= right) return;
    let first = start;
    let low = this.#nextFree(left + 1);
    while (first < end && low < right && this.#likeness(low, first) === 1) {
      this.#take(first, low);
      first++;
      low = this.#nextFree(low + 1);
    }
    if (first >= end || low >= right) return;
    let last = end - 1;
    let high = this.#prevFree(right - 1);
    while (last >= first && high >= low && this.#likeness(high, last) === 1) {
      this.#take(last, high);
      last--;
      high = this.#prevFree(high - 1);
    }
    if (last < first || high < low) return;
    const free: number[] = [];
    for (let old = low; old <= high; old = this.#nextFree(old + 1)) free.push(old);
    if (!this.#pairBand(first, last - first + 1, free)) this.#pairGreedy(first, last - first + 1, free);
  }

  /**
   * Pairs current rows [first, first + rows) with the previous rows `free` (unused, in order) by a
   * dynamic programme: score = pairs × weight + the sum of their similarities, so one more pair
   * beats any gain in similarity. Row r and free[c] lie on the shift c - r, and every pairing runs
   * from shift 0 to shift `free.length - rows`; the programme covers those shifts and as many more
   * either way (inserts and deletes that cancel out) as `PAIR_BUDGET` allows, at least one. Returns
   * false, pairing nothing, when even that does not fit.
   */
  #pairBand(first: number, rows: number, free: readonly number[]): boolean {
    const cols = free.length;
    const slack = Math.min(Math.max(rows, cols), Math.floor((this.#pairBudget / rows - Math.abs(cols - rows) - 1) / 2));
    if (slack < 1) return false;
    const low = Math.min(0, cols - rows) - slack;
    const high = Math.max(0, cols - rows) + slack;
    const width = high - low + 1;
    this.#pairBudget -= rows * width;

    // best(r, c): the score of pairing rows r… with free[c…], filled from the end, one row of it at a time.
    const weight = rows + 1;
    const step = new Uint8Array(rows * width);
    let below = new Float64Array(cols + 2).fill(-Infinity);
    let here = new Float64Array(cols + 2).fill(-Infinity);
    for (let c = Math.max(0, rows + low), to = Math.min(cols, rows + high); c <= to; c++) below[c] = 0;
    for (let r = rows - 1; r >= 0; r--) {
      const from = Math.max(0, r + low);
      const to = Math.min(cols, r + high);
      here[to + 1] = -Infinity;
      if (from > 0) here[from - 1] = -Infinity;
      for (let c = to; c >= from; c--) {
        // Ties: pair, else drop the previous row (the current one may pair further on), else the current row is new.
        const up = below[c] ?? -Infinity;
        const back = here[c + 1] ?? -Infinity;
        let best = Math.max(up, back);
        let move = back >= up ? BACK : UP;
        if (c < cols) {
          const likeness = this.#likeness(free[c] ?? 0, first + r);
          const diagonal = (below[c + 1] ?? -Infinity) + weight + likeness;
          if (likeness >= EDIT_SIMILARITY && diagonal > -Infinity && diagonal >= best) {
            best = diagonal;
            move = DIAGONAL;
          }
        }
        here[c] = best;
        step[r * width + c - r - low] = move;
      }
      [below, here] = [here, below];
    }
    for (let r = 0, c = 0; r < rows && c < cols;) {
      const move = step[r * width + c - r - low];
      if (move === DIAGONAL) this.#take(first + r++, free[c++] ?? 0);
      else if (move === UP) r++;
      else c++;
    }
    return true;
  }

  /**
   * Over the budget: each row in turn pairs with the first alike row among the next `LOOKAHEAD` of
   * `free`, if any (those skipped count as deleted); a row with none is new.
   */
  #pairGreedy(first: number, rows: number, free: readonly number[]): void {
    let c = 0;
    for (let r = 0; r < rows && c < free.length; r++) {
      for (let d = c, to = Math.min(free.length, c + LOOKAHEAD); d < to; d++) {
        const old = free[d] ?? 0;
        if (!this.#alike(old, first + r)) continue;
        this.#take(first + r, old);
        c = d + 1;
        break;
      }
    }
  }

  /** Whether previous row `old` and current row i may pair as an edit. */
  #alike(old: number, i: number): boolean {
    return this.#likeness(old, i) >= EDIT_SIMILARITY;
  }

  /** How alike previous row `old` and current row i are: the similarity() of their fingerprints, or 1 when either has none. */
  #likeness(old: number, i: number): number {
    const previous = this.#entry(old);
    const current = this.#current(i);
    if (previous.cells === undefined || current.cells === undefined || previous.cells === current.cells) return 1;
    return overlap(this.#tokens(this.#previousTokens, old, previous.cells), this.#tokens(this.#currentTokens, i, current.cells));
  }

  /** Row i's fingerprint as sorted token numbers, from `cache` or made from `cells` on first use. */
  #tokens(cache: Array<Int32Array | undefined>, i: number, cells: string): Int32Array {
    let found = cache[i];
    if (found === undefined) {
      const tokens = cells === '' ? [] : cells.split('.');
      found = new Int32Array(tokens.length);
      for (let t = 0; t < tokens.length; t++) {
        const token = tokens[t] ?? '';
        let number = this.#tokenNumber.get(token);
        if (number === undefined) {
          number = this.#tokenNumber.size;
          this.#tokenNumber.set(token, number);
        }
        found[t] = number;
      }
      found.sort();
      cache[i] = found;
    }
    return found;
  }

  /** The current row i inherits the key of previous row `old`. */
  #take(i: number, old: number): void {
    this.#use(old);
    this.#matched[i] = old;
    this.#current(i).key = this.#entry(old).key;
  }

  /** Marks previous row `old` as matched. */
  #use(old: number): void {
    const p = at(this.#position, old);
    this.#nextFreePosition[p] = p + 1;
    this.#nextFreeRow[old] = old + 1;
    this.#prevFreeRow[old + 1] = old;
    const g = at(this.#groupOf, old);
    this.#remaining[g] = at(this.#remaining, g) - 1;
  }

  /** Step 1's choice in group g (which has an unused row): the first unused after previous row `after`, or else the first. */
  #firstFreeAfter(g: number, after: number): number {
    const old = this.#firstFree(g, after);
    return old === NONE ? this.#firstFree(g, -1) : old;
  }

  /** The first unused previous row of group g after previous row `after`, or NONE. */
  #firstFree(g: number, after: number): number {
    const end = at(this.#groupStart, g + 1);
    let lo = at(this.#groupStart, g);
    let hi = end;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (at(this.#byHash, mid) > after) hi = mid;
      else lo = mid + 1;
    }
    const p = root(this.#nextFreePosition, lo);
    return p < end ? at(this.#byHash, p) : NONE;
  }

  /** The first unused previous row at or after i (the previous row count when none). */
  #nextFree(i: number): number {
    return root(this.#nextFreeRow, i);
  }

  /** The last unused previous row at or before i, or -1. */
  #prevFree(i: number): number {
    return root(this.#prevFreeRow, i + 1) - 1;
  }

  /** A new row's key: `h:<hash>`, or the first `h:<hash>#n` no row of this read holds. */
  #mint(hash: string): string {
    const base = NEW_KEY_PREFIX + hash;
    let n = this.#nextSuffix.get(base) ?? 1;
    let key = base;
    for (;;) {
      key = n === 1 ? base : `${base}#${n}`;
      if (!this.#taken(key)) break;
      n++;
    }
    // Keys are only ever added within a read, so every suffix below n stays taken.
    this.#nextSuffix.set(base, n + 1);
    this.#minted.add(key);
    return key;
  }

  /** Whether a row of this read holds `key`: minted here, or inherited from a matched previous row. */
  #taken(key: string): boolean {
    if (this.#minted.has(key)) return true;
    const old = this.#rowOfKey.get(key);
    return old !== undefined && at(this.#nextFreeRow, old) !== old;
  }

  #gap(k: number): { start: number; end: number; left: number; right: number } {
    return { start: this.#gapStart[k] ?? 0, end: this.#gapEnd[k] ?? 0, left: this.#gapLeft[k] ?? -1, right: this.#gapRight[k] ?? -1 };
  }

  #entry(i: number): SnapshotEntry {
    const entry = this.#previous[i];
    if (entry === undefined) throw new RangeError(`no previous row ${i}`);
    return entry;
  }

  #current(i: number): SnapshotEntry {
    const row = this.#rows[i];
    if (row === undefined) throw new RangeError(`no current row ${i}`);
    return row;
  }
}

/** The moves of the alignment's dynamic programme: pair or match, skip a current row, skip a previous row. */
const DIAGONAL = 0;
const UP = 1;
const BACK = 2;

/** A snapshot entry, with `cells` only when there is a fingerprint. */
function snapshotEntry(key: string, hash: string, cells: string | undefined): SnapshotEntry {
  return cells === undefined ? { key, hash } : { key, hash, cells };
}

/** similarity() of two sorted lists of tokens (strings, or their numbers). */
function overlap<T extends string | number>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  const most = Math.max(a.length, b.length);
  if (most === 0) return 1;
  let shared = 0;
  for (let i = 0, j = 0; i < a.length && j < b.length;) {
    const x = a[i] as T;
    const y = b[j] as T;
    if (x === y) {
      shared++;
      i++;
      j++;
    } else if (x < y) {
      i++;
    } else {
      j++;
    }
  }
  return shared / most;
}

/** `a[i]`, which must exist: typed-array reads are `number | undefined` under noUncheckedIndexedAccess. */
function at(a: Int32Array, i: number): number {
  const value = a[i];
  if (value === undefined) throw new RangeError(`index ${i} is outside 0..${a.length - 1}`);
  return value;
}

/** `[0, 1, …, n - 1]`: a forest in which every entry is free. */
function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** The root of x in a "next free" forest, halving the path on the way so later finds are short. */
function root(parent: Int32Array, x: number): number {
  for (;;) {
    const up = at(parent, x);
    if (up === x) return x;
    const skip = at(parent, up);
    parent[x] = skip;
    x = skip;
  }
}
