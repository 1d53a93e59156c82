import { accountRoutes } from './account.js';
import { customerRoutes } from './customers.js';
import { invoiceItemRoutes } from './invoice-items.js';
import { invoiceRoutes } from './invoices.js';
import { priceRoutes } from './prices.js';
import { productRoutes } from './products.js';
import { Router } from './router.js';

/** Every API route the emulator serves. */
export function apiRouter(): Router {
  return new Router([...accountRoutes, ...customerRoutes, ...productRoutes, ...priceRoutes, ...invoiceItemRoutes, ...invoiceRoutes]);
}
