import type { RequestContext } from './context.js';
import { endpoint, pathParam, type Route } from './endpoint.js';
import { onlyOneOf, parameterMissing, resourceMissing } from './errors.js';
import { newId } from './ids.js';
import { checkCursors, listObject, listParams } from './list.js';
import { applyMetadata } from './metadata.js';
import { checkMinorUnits, normalizeDecimal, wholeAmount } from './money.js';
import { createProduct, findProduct } from './products.js';
import type { PriceRecord } from './records.js';
import { bool, currency, decimal, int, metadata, obj, oneOf, required, str } from './schema.js';

export function renderPrice(record: PriceRecord, ctx: RequestContext): unknown {
  return {
    id: record.id,
    object: 'price',
    active: record.active,
    billing_scheme: 'per_unit',
    created: record.created,
    currency: record.currency,
    custom_unit_amount: null,
    livemode: ctx.livemode,
    lookup_key: null,
    metadata: record.metadata,
    nickname: record.nickname,
    product: record.product,
    recurring: null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: 'one_time',
    unit_amount: wholeAmount(record.unit_amount_decimal),
    unit_amount_decimal: record.unit_amount_decimal,
  };
}

export function findPrice(ctx: RequestContext, id: string, param: string): PriceRecord {
  const record = ctx.data.prices.get(id);
  if (record === undefined) throw resourceMissing('price', id, param);
  return record;
}

/** Stores a price; also used for the inline prices `price_data` creates (which are inactive). */
export function createPrice(
  ctx: RequestContext,
  input: {
    product: string;
    currency: string;
    unit_amount_decimal: string;
    active: boolean;
    nickname: string | null;
    metadata: Record<string, string>;
  },
): PriceRecord {
  const record: PriceRecord = {
    id: newId.price(),
    seq: ctx.data.nextSeq(),
    created: ctx.now,
    ...input,
    unit_amount_decimal: normalizeDecimal(input.unit_amount_decimal),
  };
  ctx.data.prices.set(record.id, record);
  return record;
}

const priceFields = {
  currency: required(currency()),
  unit_amount: int({ min: 0 }),
  unit_amount_decimal: decimal(),
  product: str(),
  product_data: obj({ name: required(str({ max: 5000 })), active: bool(), metadata: metadata() }),
  active: bool(),
  nickname: str({ max: 5000 }),
  metadata: metadata(),
  tax_behavior: oneOf(['exclusive', 'inclusive', 'unspecified']),
} as const;

export const priceRoutes: Route[] = [
  endpoint({
    method: 'POST',
    path: '/v1/prices',
    params: priceFields,
    check(input) {
      if (input.product != null && input.product_data != null) throw onlyOneOf(['product', 'product_data']);
      if (input.product == null && input.product_data == null) throw parameterMissing('product');
      if (input.unit_amount != null && input.unit_amount_decimal != null) throw onlyOneOf(['unit_amount', 'unit_amount_decimal']);
      if (input.unit_amount == null && input.unit_amount_decimal == null) throw parameterMissing('unit_amount');
      if (input.unit_amount != null) checkMinorUnits(input.unit_amount, input.currency, 'unit_amount');
    },
    run(ctx, input) {
      const product =
        input.product != null
          ? findProduct(ctx, input.product, 'product')
          : createProduct(ctx, {
              name: input.product_data?.name ?? '',
              active: input.product_data?.active ?? null,
              metadata: input.product_data?.metadata ?? null,
            });
      const record = createPrice(ctx, {
        product: product.id,
        currency: input.currency,
        unit_amount_decimal: input.unit_amount_decimal ?? String(input.unit_amount ?? 0),
        active: input.active ?? true,
        nickname: input.nickname ?? null,
        metadata: applyMetadata({}, input.metadata),
      });
      return renderPrice(record, ctx);
    },
  }),
  endpoint({
    method: 'GET',
    path: '/v1/prices/:id',
    params: {},
    run: (ctx, _input, path) => renderPrice(findPrice(ctx, pathParam(path, 'id'), 'id'), ctx),
  }),
  endpoint({
    method: 'GET',
    path: '/v1/prices',
    params: { ...listParams, active: bool(), currency: currency(), product: str() },
    check: checkCursors,
    run(ctx, input) {
      return listObject({
        all: ctx.data.prices.values(),
        keep: (record) =>
          (input.active == null || record.active === input.active) &&
          (input.currency == null || record.currency === input.currency) &&
          (input.product == null || record.product === input.product),
        input,
        url: '/v1/prices',
        noun: 'price',
        render: (record) => renderPrice(record, ctx),
      });
    },
  }),
];
