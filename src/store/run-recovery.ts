import type { Db } from './db.js';
import { nowIso } from './ids.js';

/**
 * Runs a job engine should (re)start: queued ones, and running ones whose lease has run out (their
 * worker died). Giving such a run a job is always safe: its claim (claimRun) decides who runs it.
 */
export async function runsToResume(db: Db, now = new Date(), limit = 500): Promise<string[]> {
  const rows = await db
    .selectFrom('runs')
    .select('id')
    .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', nowIso(now))])]))
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}
