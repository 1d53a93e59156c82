import type { RequestContext } from './context.js';
import { endpoint, pathParam, type Route } from './endpoint.js';
import { invalidRequest, resourceMissing } from './errors.js';
import { newId } from './ids.js';
import { checkCursors, listObject, listParams } from './list.js';
import { applyMetadata } from './metadata.js';
import type { ProductRecord } from './records.js';
import { bool, metadata, required, str, type MetadataInput } from './schema.js';

export function renderProduct(record: ProductRecord, ctx: RequestContext): unknown {
  return {
    id: record.id,
    object: 'product',
    active: record.active,
    created: record.created,
    default_price: null,
    description: record.description,
    images: [],
    livemode: ctx.livemode,
    marketing_features: [],
    metadata: record.metadata,
    name: record.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    unit_label: null,
    updated: record.updated,
    url: null,
  };
}

export function findProduct(ctx: RequestContext, id: string, param: string): ProductRecord {
  const record = ctx.data.products.get(id);
  if (record === undefined) throw resourceMissing('product', id, param);
  return record;
}

/** Creates a product; shared with `product_data` on prices. */
export function createProduct(
  ctx: RequestContext,
  input: { id?: string | null; name: string; description?: string | null; active?: boolean | null; metadata?: MetadataInput | null },
): ProductRecord {
  const id = input.id ?? newId.product();
  if (ctx.data.products.has(id)) {
    throw invalidRequest('Product already exists.', { code: 'resource_already_exists', param: 'id' });
  }
  const record: ProductRecord = {
    id,
    seq: ctx.data.nextSeq(),
    created: ctx.now,
    updated: ctx.now,
    metadata: applyMetadata({}, input.metadata),
    name: input.name,
    description: input.description ?? null,
    active: input.active ?? true,
  };
  ctx.data.products.set(id, record);
  return record;
}

export const productRoutes: Route[] = [
  endpoint({
    method: 'POST',
    path: '/v1/products',
    params: {
      id: str({ max: 100 }),
      name: required(str({ max: 5000 })),
      description: str({ max: 40000 }),
      active: bool(),
      metadata: metadata(),
    },
    run: (ctx, input) => renderProduct(createProduct(ctx, input), ctx),
  }),
  endpoint({
    method: 'GET',
    path: '/v1/products/:id',
    params: {},
    run: (ctx, _input, path) => renderProduct(findProduct(ctx, pathParam(path, 'id'), 'id'), ctx),
  }),
  endpoint({
    method: 'POST',
    path: '/v1/products/:id',
    params: { name: str({ max: 5000 }), description: str({ max: 40000 }), active: bool(), metadata: metadata() },
    run(ctx, input, path) {
      const record = findProduct(ctx, pathParam(path, 'id'), 'id');
      if (input.name != null) record.name = input.name;
      if (input.description !== undefined) record.description = input.description;
      if (input.active != null) record.active = input.active;
      record.metadata = applyMetadata(record.metadata, input.metadata);
      record.updated = ctx.now;
      return renderProduct(record, ctx);
    },
  }),
  endpoint({
    method: 'GET',
    path: '/v1/products',
    params: { ...listParams, active: bool() },
    check: checkCursors,
    run(ctx, input) {
      return listObject({
        all: ctx.data.products.values(),
        keep: (record) => input.active == null || record.active === input.active,
        input,
        url: '/v1/products',
        noun: 'product',
        render: (record) => renderProduct(record, ctx),
      });
    },
  }),
];
