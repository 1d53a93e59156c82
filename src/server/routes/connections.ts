import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { connectionView, createConnection, removeConnection, requireConnection, updateConnection } from '../../engine/connections.js';
import type { Engine } from '../../engine/context.js';
import { parseBody } from '../../engine/parse-body.js';
import { previewConnection } from '../../engine/preview.js';
import { forceRun, lastRun, listRunViews, rowLinker } from '../../engine/runs.js';
import { upcoming } from '../../engine/schedules.js';
import { testSend } from '../../engine/test-send.js';
import { listConnections } from '../../store/connections.js';
import { countRows, listRows } from '../../store/rows.js';

type Id = { Params: { id: string } };

const rowsQuery = z.object({
  status: z.enum(['pending', 'sent', 'failed', 'skipped']).optional(),
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  offset: z.coerce.number().int().min(0).default(0),
});

export function connectionRoutes(app: FastifyInstance, engine: Engine): void {
  app.get('/api/connections', async () => ({
    data: await Promise.all(
      (await listConnections(engine.db)).map(async (c) => ({ ...connectionView(engine, c), lastRun: await lastRun(engine, c.id) })),
    ),
  }));
  app.post('/api/connections', async (req, reply) => reply.code(201).send(await createConnection(engine, req.body)));
  app.get<Id>('/api/connections/:id', async (req) => {
    const c = await requireConnection(engine, req.params.id);
    return { ...connectionView(engine, c), lastRun: await lastRun(engine, c.id), rows: await countRows(engine.db, c.id) };
  });
  app.get<Id>('/api/connections/:id/schedule/next', async (req) => upcoming(await requireConnection(engine, req.params.id), req.query));
  app.patch<Id>('/api/connections/:id', async (req) => updateConnection(engine, req.params.id, req.body));
  app.delete<Id>('/api/connections/:id', async (req, reply) => {
    await removeConnection(engine, req.params.id);
    return reply.code(204).send();
  });
  app.post<Id>('/api/connections/:id/preview', async (req) => previewConnection(engine, req.params.id, req.body));
  app.post<Id>('/api/connections/:id/test', async (req) => testSend(engine, req.params.id, req.body));
  app.post<Id>('/api/connections/:id/run', async (req, reply) => reply.code(202).send(await forceRun(engine, req.params.id)));
  app.get<Id>('/api/connections/:id/runs', async (req) => ({ data: await listRunViews(engine, req.params.id) }));
  app.get<Id>('/api/connections/:id/rows', async (req) => {
    const c = await requireConnection(engine, req.params.id);
    const q = parseBody(rowsQuery, req.query);
    const rows = await listRows(engine.db, c.id, q);
    const link = await rowLinker(engine, c.account_id);
    return {
      data: rows.map((r) => ({
        rowKey: r.row_key,
        line: r.line,
        status: r.status,
        stripeId: r.stripe_id,
        ...(r.stripe_id && { dashboardUrl: link(r.stripe_id) }),
        error: r.error,
        fields: JSON.parse(r.data) as unknown,
        updatedAt: r.updated_at,
      })),
    };
  });
}
