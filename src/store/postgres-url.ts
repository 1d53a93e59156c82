/**
 * DATABASE_URL for the Postgres store: `postgres://` or `postgresql://`, with everything `pg`
 * understands (user, password, host, port, database, `sslmode`, `options`, …) and one parameter
 * of Sluice's own, `?schema=<name>`: the schema Sluice's tables live in, made if missing.
 * (Default: the server's search_path, normally `public`)
 *
 * `?schema=` is turned into pg's `options=-c search_path=<name>`, so it holds on every pooled
 * connection from its first statement. A search_path given by `options` yourself works too; then
 * the schema must exist.
 */
export interface PostgresTarget {
  /** The URL pg connects with: `schema` removed, `options` carrying the search_path instead. */
  connectionString: string;
  /** The schema from `?schema=`, when given. */
  schema?: string;
}

/** A schema name that needs no quoting anywhere (in `-c search_path=…` nor in SQL). */
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

export class PostgresUrlError extends Error {
  override name = 'PostgresUrlError';
}

/** Parses a Postgres URL; the error's message names the value (password masked) and what is allowed. */
export function parsePostgresUrl(raw: string): PostgresTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PostgresUrlError(
      `${JSON.stringify(maskPassword(raw))} is not a URL; use one such as postgres://sluice:password@db.example.com:5432/sluice`,
    );
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new PostgresUrlError(
      `${JSON.stringify(maskPassword(raw))} is not allowed; use a postgres:// or postgresql:// URL (for example postgres://sluice:password@db.example.com:5432/sluice), or leave it unset to keep the store in SQLite`,
    );
  }
  const schema = url.searchParams.get('schema');
  if (schema === null) return { connectionString: raw };
  if (!SCHEMA_NAME.test(schema)) {
    throw new PostgresUrlError(
      `${JSON.stringify(maskPassword(raw))} names the schema ${JSON.stringify(schema)}, which is not allowed; use letters, digits and _ (not starting with a digit, at most 63)`,
    );
  }
  url.searchParams.delete('schema');
  const options = url.searchParams.get('options');
  url.searchParams.set('options', `${options ? `${options} ` : ''}-c search_path=${schema}`);
  return { connectionString: url.toString(), schema };
}

/** The URL with its password replaced by `***`, for messages and logs (works on text that is not a URL too). */
export function maskPassword(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    if (url.searchParams.has('password')) url.searchParams.set('password', '***');
    return url.toString();
  } catch {
    return raw.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@').replace(/([?&]password=)[^&]*/i, '$1***');
  }
}
