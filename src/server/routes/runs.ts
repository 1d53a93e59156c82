import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine/context.js';
import { retryFailed, retryRows, runWithRows } from '../../engine/runs.js';

type Id = { Params: { id: string } };

export function runRoutes(app: FastifyInstance, engine: Engine): void {
  app.get<Id>('/api/runs/:id', async (req) => runWithRows(engine, req.params.id, req.query));
  app.post<Id>('/api/runs/:id/retry-failed', async (req, reply) => reply.code(202).send(await retryFailed(engine, req.params.id)));
  app.post<Id>('/api/runs/:id/rows/retry', async (req, reply) => reply.code(202).send(await retryRows(engine, req.params.id, req.body)));
}
