import type { FastifyInstance } from 'fastify';
import { accountView, addAccount, checkAccount, removeAccount, requireAccount } from '../../engine/accounts.js';
import type { Engine } from '../../engine/context.js';
import { listAccounts } from '../../store/accounts.js';

type Id = { Params: { id: string } };

export function accountRoutes(app: FastifyInstance, engine: Engine): void {
  app.get('/api/accounts', async () => ({ data: (await listAccounts(engine.db)).map(accountView) }));
  app.post('/api/accounts', async (req, reply) => reply.code(201).send(await addAccount(engine, req.body)));
  app.get<Id>('/api/accounts/:id', async (req) => accountView(await requireAccount(engine, req.params.id)));
  app.post<Id>('/api/accounts/:id/check', async (req) => checkAccount(engine, req.params.id));
  app.delete<Id>('/api/accounts/:id', async (req, reply) => {
    await removeAccount(engine, req.params.id);
    return reply.code(204).send();
  });
}
