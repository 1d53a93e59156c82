import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine/context.js';
import { connectionSourceFields, unsavedSourceFields } from '../../engine/source-fields.js';

export function sourceRoutes(app: FastifyInstance, engine: Engine): void {
  app.get<{ Params: { id: string } }>('/api/connections/:id/source/fields', async (req) => connectionSourceFields(engine, req.params.id));
  app.post('/api/sources/fields', async (req) => unsavedSourceFields(engine, req.body));
}
