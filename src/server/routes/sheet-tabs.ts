import type { FastifyInstance } from 'fastify';
import type { Engine } from '../../engine/context.js';
import { spreadsheetTabs } from '../../engine/sheet-tabs.js';

export function sheetTabRoutes(app: FastifyInstance, engine: Engine): void {
  app.post('/api/sources/google-sheets/tabs', async (req) => spreadsheetTabs(engine, req.body));
}
