import { invalidRequest } from './errors.js';
import { newestFirst, type Listable } from './list.js';
import { int, required, str } from './schema.js';

export const searchParams = {
  query: required(str({ max: 10000 })),
  limit: int({ min: 1, max: 100 }),
  page: str(),
} as const;

export interface SearchResult {
  object: 'search_result';
  data: unknown[];
  has_more: boolean;
  next_page: string | null;
  url: string;
}

/**
 * `page` is the opaque `next_page` token of the previous result: here, the offset it starts at.
 * Stripe's search index lags writes (usually under a minute); this one does not, which is the
 * kinder direction to be wrong in — code that relies on search after a write is caught by review,
 * not by the emulator.
 */
export function searchResult<R extends Listable>(options: {
  matches: R[];
  limit: number | null | undefined;
  page: string | null | undefined;
  url: string;
  render: (record: R) => unknown;
}): SearchResult {
  const limit = options.limit ?? 10;
  const offset = options.page == null ? 0 : decodePage(options.page);
  const sorted = [...options.matches].sort(newestFirst);
  const data = sorted.slice(offset, offset + limit);
  const hasMore = sorted.length > offset + limit;
  return {
    object: 'search_result',
    data: data.map(options.render),
    has_more: hasMore,
    next_page: hasMore ? encodePage(offset + limit) : null,
    url: options.url,
  };
}

function encodePage(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

function decodePage(page: string): number {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(page, 'base64url').toString('utf8'));
    if (typeof parsed === 'object' && parsed !== null && 'offset' in parsed) {
      const { offset } = parsed;
      if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) return offset;
    }
  } catch {
    // fall through to the error below
  }
  throw invalidRequest(`Invalid page: ${page.slice(0, 80)}`, { param: 'page' });
}
