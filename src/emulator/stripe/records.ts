/**
 * What the emulator keeps for each object. These are internal and mutable; each resource file
 * renders them into the JSON shape Stripe returns. `seq` orders objects created in the same
 * second (lists are newest first by `created`, then by `seq`).
 */
export interface Address {
  city: string | null;
  country: string | null;
  line1: string | null;
  line2: string | null;
  postal_code: string | null;
  state: string | null;
}

export interface Shipping {
  address: Address;
  name: string;
  phone: string | null;
}

interface Base {
  id: string;
  seq: number;
  created: number;
  metadata: Record<string, string>;
}

export interface CustomerRecord extends Base {
  deleted: boolean;
  email: string | null;
  name: string | null;
  phone: string | null;
  description: string | null;
  address: Address | null;
  shipping: Shipping | null;
  preferred_locales: string[];
  invoice_prefix: string;
  next_invoice_sequence: number;
  invoice_footer: string | null;
  tax_exempt: 'none' | 'exempt' | 'reverse';
  /** Set by the customer's first invoice item, as Stripe does. */
  currency: string | null;
  balance: number;
}

export interface ProductRecord extends Base {
  name: string;
  description: string | null;
  active: boolean;
  updated: number;
}

export interface PriceRecord extends Base {
  product: string;
  currency: string;
  /** Kept as a decimal string so that `unit_amount_decimal` prices multiply exactly. */
  unit_amount_decimal: string;
  active: boolean;
  nickname: string | null;
}

export interface InvoiceItemRecord extends Base {
  deleted: boolean;
  customer: string;
  currency: string;
  amount: number;
  quantity: number;
  /** Decimal string; null when the amount was given directly. */
  unit_amount_decimal: string | null;
  price: string | null;
  product: string | null;
  description: string | null;
  discountable: boolean;
  period: { start: number; end: number };
  invoice: string | null;
  /** The `il_…` id the item has as a line of its invoice. */
  line_id: string;
}

export type InvoiceStatus = 'draft' | 'open' | 'paid' | 'uncollectible' | 'void';

export interface InvoiceRecord extends Base {
  deleted: boolean;
  customer: string;
  currency: string;
  status: InvoiceStatus;
  collection_method: 'charge_automatically' | 'send_invoice';
  auto_advance: boolean;
  description: string | null;
  footer: string | null;
  days_until_due: number | null;
  due_date: number | null;
  number: string | null;
  /** Invoice item ids, in the order they were attached. */
  items: string[];
  finalized_at: number | null;
  paid_at: number | null;
  sent: boolean;
  /** The customer as it was at finalization; drafts show the customer as it is now. */
  customer_snapshot: CustomerRecord | null;
  url_token: string;
}
