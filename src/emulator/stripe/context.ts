import type { AccountData } from './store.js';

/** What an endpoint runs against: the calling key's account data and the request's clock. */
export interface RequestContext {
  data: AccountData;
  livemode: boolean;
  /** Unix seconds, read once per request so that every timestamp it writes agrees. */
  now: number;
  accountId: string;
}
