import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine/context.js';
import { connectionSourceFields, unsavedSourceFields } from '../../engine/source-fields.js';
import { listImportFiles } from '../../sources/csv/import-folder.js';

export function sourceRoutes(app: FastifyInstance, engine: Engine): void {
  app.get<{ Params: { id: string } }>('/api/connections/:id/source/fields', async (req) => connectionSourceFields(engine, req.params.id));
  app.post('/api/sources/fields', async (req) => unsavedSourceFields(engine, req.body));
  // The files a CSV source's `path` may name: {folder, files: [{name, size, modifiedAt}], truncated}.
  app.get('/api/sources/csv/files', async () => listImportFiles({ dir: engine.importDir, dataDir: engine.dataDir }));
}
