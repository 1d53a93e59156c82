import type { Kysely } from 'kysely';

// Secrets at rest (issue 13, point 7).
//
// connections.source_secret_sealed: what a source's settings hide — a CSV URL's password, token
// or query — sealed by SecretBox with the connection id as context; source_settings keeps the
// masked form only (engine/source-secrets.ts). Null when the settings hide nothing.
//
// oauth_states: the `state` of a "Connect Google account" in progress, as its sha256 only, bound
// to the login session that started it, used once (deleted on the callback) and expiring. Its
// session's end (logout, expiry) takes it along.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('connections').addColumn('source_secret_sealed', 'text').execute();
  await db.schema
    .createTable('oauth_states')
    .addColumn('state_hash', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    .addColumn('account_name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('oauth_states_by_expiry').on('oauth_states').column('expires_at').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('oauth_states').execute();
  await db.schema.alterTable('connections').dropColumn('source_secret_sealed').execute();
}
