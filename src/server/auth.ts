import type { FastifyReply, FastifyRequest } from 'fastify';
import { findApiKey, touchApiKey } from '../store/api-keys.js';
import type { Db } from '../store/db.js';

/**
 * Every /api route needs `Authorization: Bearer <api key>`. Without a valid one the answer is a bare
 * 401 — the same for a missing, malformed or unknown key, so nothing is revealed about which.
 */
export function requireApiKey(db: Db) {
  const touched = new Map<string, number>();
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    const key = match?.[1] ? await findApiKey(db, match[1]) : undefined;
    if (!key) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer')
        .send({ error: { message: 'a valid API key is required: Authorization: Bearer <key>' } });
    }
    // last_used_at is for people, not accounting: written at most once a minute per key.
    const last = touched.get(key.id) ?? 0;
    if (Date.now() - last > 60_000) {
      touched.set(key.id, Date.now());
      await touchApiKey(db, key.id);
    }
  };
}
