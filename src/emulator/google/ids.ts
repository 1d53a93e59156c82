import { randomBytes, randomInt } from 'node:crypto';

/**
 * Random ids shaped like Google's. Nothing may parse them: only the shape (length, alphabet,
 * prefix) is copied, so that code which checks an id's form sees what it would see from Google.
 */
const base64url = (bytes: number): string => randomBytes(bytes).toString('base64url');

export const newId = {
  /** 44 characters of [A-Za-z0-9_-], like `1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms`. */
  spreadsheet: (): string => `1${base64url(33).slice(0, 43)}`,
  /** A new tab's sheetId: Google picks a random positive 31-bit integer (only the first tab is 0). */
  sheet: (): number => randomInt(1, 2 ** 31 - 1),
  accessToken: (): string => `ya29.${base64url(96)}`,
  refreshToken: (): string => `1//0${base64url(72)}`,
  authorizationCode: (): string => `4/0${base64url(54)}`,
  /** The `2PACX-…` key of a published-to-the-web link. */
  publication: (): string => `2PACX-1v${base64url(60)}`,
};
