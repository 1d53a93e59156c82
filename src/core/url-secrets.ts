/**
 * What an address a user typed may hide: a password (or a token given as the user name) in its
 * user-info, and keys in its query string (`?token=…`, `?key=…`, any value: a query may hold a
 * key under any name) or fragment. Sluice stores such an address sealed and shows it masked.
 *
 * The mask replaces each hidden part with URL_MASK, keeping what a person needs to recognise the
 * address (scheme, user name beside a password, host, path, query parameter names). The masked
 * form is a function of the address alone, so it is the same on every read, and an edit that
 * sends it back unchanged can be told from one that types a new address.
 */

/**
 * Three bullets: no server issues this as a password or key, it reads as "hidden" to a person, and
 * it survives the round trip through JSON, a form field and the URL parser (zod's url check keeps
 * the string as given).
 */
export const URL_MASK = '•••';

/**
 * The address with its user-info secret, query values and fragment masked; the address itself
 * when it hides nothing. Text that is not an absolute URL is masked by pattern (anything between
 * `//` and `@`, and everything after `?` or `#`), so an error that repeats a malformed address
 * does not repeat its secret either.
 */
export function maskUrl(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return text.replace(/\/\/[^/?#@]*@/, `//${URL_MASK}@`).replace(/[?#][\s\S]*$/, (rest) => `${rest[0]}${URL_MASK}`);
  }
  if (!hidesSecret(url)) return text;
  const userinfo = url.password !== '' ? `${url.username}:${URL_MASK}@` : url.username !== '' ? `${URL_MASK}@` : '';
  const query = url.search === '' ? '' : `?${maskQuery(url.search.slice(1))}`;
  const fragment = url.hash === '' ? '' : `#${URL_MASK}`;
  return `${url.protocol}//${userinfo}${url.host}${url.pathname}${query}${fragment}`;
}

/** Whether the address has anything maskUrl hides. */
export function urlHidesSecret(text: string): boolean {
  try {
    return hidesSecret(new URL(text));
  } catch {
    return false;
  }
}

/** Whether the text still holds a masked part (a masked address sent back, edited or not). */
export function holdsMask(text: string): boolean {
  return text.includes(URL_MASK) || text.includes(encodeURIComponent(URL_MASK));
}

function hidesSecret(url: URL): boolean {
  return url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '';
}

/** `a=1&b&c=` → `a=•••&•••&c=•••`: names kept (they say what the value was), every value hidden. */
function maskQuery(query: string): string {
  return query
    .split('&')
    .map((part) => {
      if (part === '') return part;
      const eq = part.indexOf('=');
      return eq === -1 ? URL_MASK : `${part.slice(0, eq)}=${URL_MASK}`;
    })
    .join('&');
}
