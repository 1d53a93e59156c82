import type { FastifyInstance } from 'fastify';
import { catalogFields } from '../../receivers/stripe/action.js';
import { actions } from '../../receivers/stripe/actions/index.js';
import { sourceTypes } from '../../sources/index.js';

/** Actions and source types with their fields, so a UI builds its forms from the same declarations. */
export function catalogRoutes(app: FastifyInstance): void {
  const catalog = {
    actions: [...actions.values()].map((a) => ({
      key: a.key,
      title: a.title,
      description: a.description,
      fields: catalogFields(a.fields),
      ...(a.grouped && { grouped: a.grouped }),
    })),
    sources: [...sourceTypes.values()].map((s) => ({
      type: s.type,
      title: s.title,
      description: s.description,
      mode: s.mode,
      settings: s.catalog,
    })),
  };
  app.get('/api/catalog', async () => catalog);
}
