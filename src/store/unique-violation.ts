/**
 * Whether a store error is a unique index or key refusing a row, on either database: SQLite
 * (better-sqlite3) says `SQLITE_CONSTRAINT_UNIQUE` or `SQLITE_CONSTRAINT_PRIMARYKEY`, Postgres says
 * SQLSTATE 23505 (unique_violation). Callers use it where the database is the arbiter of a race
 * (one owner, one running run per connection) and losing it is an answer, not a failure.
 *
 * On Postgres a failed statement aborts the transaction it is in: catch it outside the transaction
 * (or around the whole transaction), never to carry on inside one.
 */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}
