import { endpoint, type Route } from './endpoint.js';

/** The cheap reads a client makes to check that a key works. */
export const accountRoutes: Route[] = [
  endpoint({
    method: 'GET',
    path: '/v1/balance',
    params: {},
    run(ctx) {
      const zero = [{ amount: 0, currency: 'usd', source_types: { card: 0 } }];
      return {
        object: 'balance',
        available: zero,
        livemode: ctx.livemode,
        pending: zero,
        refund_and_dispute_prefunding: { available: [], pending: [] },
      };
    },
  }),
  endpoint({
    method: 'GET',
    path: '/v1/account',
    params: {},
    run(ctx) {
      return {
        id: ctx.accountId,
        object: 'account',
        business_profile: { mcc: null, name: 'Sluice Stripe Emulator', support_email: null, url: null },
        business_type: null,
        capabilities: {},
        charges_enabled: true,
        controller: { type: 'account' },
        country: 'US',
        created: 1_700_000_000,
        default_currency: 'usd',
        details_submitted: true,
        email: 'emulator@example.com',
        metadata: {},
        payouts_enabled: true,
        settings: { dashboard: { display_name: 'Sluice Stripe Emulator', timezone: 'Etc/UTC' } },
        type: 'standard',
      };
    },
  }),
];
