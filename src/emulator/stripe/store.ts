import type { CustomerRecord, InvoiceItemRecord, InvoiceRecord, PriceRecord, ProductRecord } from './records.js';

export type Mode = 'test' | 'live';

/**
 * One emulated account's data for one mode. Test and live data are disjoint, as in Stripe: an
 * object created with a test key cannot be seen with a live key, and the reverse.
 */
export class AccountData {
  readonly customers = new Map<string, CustomerRecord>();
  readonly products = new Map<string, ProductRecord>();
  readonly prices = new Map<string, PriceRecord>();
  readonly invoiceItems = new Map<string, InvoiceItemRecord>();
  readonly invoices = new Map<string, InvoiceRecord>();
  private seq = 0;

  constructor(readonly mode: Mode) {}

  nextSeq(): number {
    this.seq += 1;
    return this.seq;
  }
}

export class EmulatorStore {
  private accounts = { test: new AccountData('test'), live: new AccountData('live') };

  account(mode: Mode): AccountData {
    return this.accounts[mode];
  }

  reset(): void {
    this.accounts = { test: new AccountData('test'), live: new AccountData('live') };
  }
}
