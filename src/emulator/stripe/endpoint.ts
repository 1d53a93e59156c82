import type { RequestContext } from './context.js';
import type { FormObject } from './form.js';
import { arr, str, validateFields, type Fields, type InferFields } from './schema.js';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';
export type PathParams = Readonly<Record<string, string>>;

/**
 * One API operation. `prepare` checks the parameters and returns the work to do: the split is
 * what lets idempotency follow Stripe, which stores a result only once an endpoint starts
 * executing — a request rejected by parameter validation leaves the key unused.
 */
export interface Route {
  readonly method: HttpMethod;
  readonly path: string;
  prepare(raw: FormObject, path: PathParams): (ctx: RequestContext) => unknown;
}

interface EndpointDefinition<F extends Fields> {
  method: HttpMethod;
  /** `/v1/customers/:id`; `:name` segments reach `run` as path parameters. */
  path: string;
  params: F;
  /** Cross-field rules that need no stored data (`amount` and `pricing` together, …). */
  check?: (input: InferFields<F>) => void;
  run: (ctx: RequestContext, input: InferFields<F>, path: PathParams) => unknown;
}

/** Every endpoint accepts `expand[]`; the emulator accepts and ignores it. */
const common = { expand: arr(str()) } as const;

export function endpoint<const F extends Fields>(definition: EndpointDefinition<F>): Route {
  return {
    method: definition.method,
    path: definition.path,
    prepare(raw, path) {
      const input = validateFields({ ...common, ...definition.params }, raw) as InferFields<F>;
      definition.check?.(input);
      return (ctx) => definition.run(ctx, input, path);
    },
  };
}

/** A path parameter the route pattern guarantees. */
export function pathParam(path: PathParams, name: string): string {
  return path[name] ?? '';
}
