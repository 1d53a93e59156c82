import { onlyOneOf, resourceMissing } from './errors.js';
import { int, range, str, type RangeInput } from './schema.js';

/** The pagination parameters every list endpoint takes. */
export const listParams = {
  limit: int({ min: 1, max: 100 }),
  starting_after: str(),
  ending_before: str(),
  created: range(),
} as const;

export interface ListInput {
  limit?: number | null;
  starting_after?: string | null;
  ending_before?: string | null;
  created?: RangeInput | null;
}

export interface Listable {
  id: string;
  created: number;
  seq: number;
}

export interface ListObject {
  object: 'list';
  data: unknown[];
  has_more: boolean;
  url: string;
}

/** Newest first; `seq` breaks ties between objects created in the same second. */
export function newestFirst(a: Listable, b: Listable): number {
  return b.created - a.created || b.seq - a.seq;
}

export function checkCursors(input: ListInput): void {
  if (input.starting_after != null && input.ending_before != null) {
    throw onlyOneOf(['ending_before', 'starting_after']);
  }
}

export function inRange(value: number, filter: RangeInput | null | undefined): boolean {
  if (filter == null) return true;
  if (filter.gt !== undefined && !(value > filter.gt)) return false;
  if (filter.gte !== undefined && !(value >= filter.gte)) return false;
  if (filter.lt !== undefined && !(value < filter.lt)) return false;
  if (filter.lte !== undefined && !(value <= filter.lte)) return false;
  return true;
}

interface ListOptions<R extends Listable> {
  /** Every object of the kind; cursors must name one of them. */
  all: Iterable<R>;
  keep: (record: R) => boolean;
  input: ListInput;
  url: string;
  /** The noun of the 404 for a cursor that names no object: `No such customer: 'cus_x'`. */
  noun: string;
  render: (record: R) => unknown;
}

/**
 * Stripe's cursor pagination: `starting_after` pages towards older objects, `ending_before`
 * towards newer ones (the page just before the cursor, still newest first). A cursor is a
 * position, so it works even when the object it names is filtered out of this list.
 */
export function listObject<R extends Listable>(options: ListOptions<R>): ListObject {
  const { input } = options;
  const all = [...options.all];
  const limit = input.limit ?? 10;
  const sorted = all.filter((record) => options.keep(record) && inRange(record.created, input.created)).sort(newestFirst);
  const cursor = (id: string, param: string): R => {
    const found = all.find((record) => record.id === id);
    if (found === undefined) throw resourceMissing(options.noun, id, param);
    return found;
  };
  let page: R[];
  let hasMore: boolean;
  if (input.starting_after != null) {
    const at = cursor(input.starting_after, 'starting_after');
    const older = sorted.filter((record) => newestFirst(at, record) < 0);
    page = older.slice(0, limit);
    hasMore = older.length > limit;
  } else if (input.ending_before != null) {
    const at = cursor(input.ending_before, 'ending_before');
    const newer = sorted.filter((record) => newestFirst(record, at) < 0);
    page = newer.slice(Math.max(0, newer.length - limit));
    hasMore = newer.length > limit;
  } else {
    page = sorted.slice(0, limit);
    hasMore = sorted.length > limit;
  }
  return { object: 'list', data: page.map(options.render), has_more: hasMore, url: options.url };
}
