import type { ActionContext, Lookup } from './action.js';
import { ROW_MARKER_KEY } from './field-kit.js';

/**
 * How many candidates a lookup reads at most (ten pages of 100). The object looked for was made
 * moments ago and lists are newest first, so it is on the first page unless many objects were
 * made since; past the cap, "not found" is not proof.
 */
export const LOOKUP_CAP = 1000;

interface Marked {
  id: string;
  metadata?: Record<string, string> | null;
}

/**
 * Reads a list (the SDK's auto-pagination, newest first) until an object carries `marker` in its
 * metadata. `where` names the candidates ("the invoice items of cus_…"). For strongly consistent
 * lists only: an answer without the marker is `absent`.
 */
export function findInList<T extends Marked>(
  ctx: ActionContext,
  list: () => AsyncIterable<T>,
  marker: string,
  where: string,
): Promise<Lookup> {
  return ctx.read(async (): Promise<Lookup> => {
    let seen = 0;
    for await (const object of list()) {
      if (seen === LOOKUP_CAP) return { kind: 'unsure', why: `none of the ${LOOKUP_CAP} newest of ${where} has it, and there are more` };
      seen++;
      if (object.metadata?.[ROW_MARKER_KEY] === marker) return { kind: 'found', id: object.id, object };
    }
    return { kind: 'absent', where };
  });
}

/**
 * The same through Stripe's Search API, which is eventually consistent: an object made a moment
 * ago may be missing from it for a minute or more. A hit is an answer; a miss is only `unsure`.
 */
export async function findBySearch<T extends Marked>(
  ctx: ActionContext,
  search: (query: string) => AsyncIterable<T>,
  marker: string,
  where: string,
): Promise<Lookup> {
  // Markers are `<connection id>/<base64url digest>`: nothing in them needs escaping in a query.
  const query = `metadata['${ROW_MARKER_KEY}']:'${marker}'`;
  const found = await findInList(ctx, () => search(query), marker, where);
  if (found.kind !== 'absent') return found;
  return {
    kind: 'unsure',
    why: `Stripe's search finds none of ${where} with it, but search can lag a new object by a minute or more`,
    searchLag: true,
  };
}
