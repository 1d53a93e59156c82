/**
 * Stripe's error envelope and the handful of errors every endpoint raises. Messages copy Stripe's
 * wording, because clients (Sluice included) match on `code` and show `message` to people.
 */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'api_error' | 'idempotency_error' | 'card_error';
  code?: string;
  param?: string;
  message: string;
  doc_url?: string;
}

export class StripeError extends Error {
  constructor(
    readonly status: number,
    readonly body: StripeErrorBody,
  ) {
    super(body.message);
    this.name = 'StripeError';
  }
}

interface ErrorOptions {
  code?: string;
  param?: string;
  status?: number;
}

/** Stripe links every coded error to its page: `resource_missing` → `/error-codes/resource-missing`. */
function docUrl(code: string): string {
  return `https://stripe.com/docs/error-codes/${code.replaceAll('_', '-')}`;
}

export function stripeError(type: StripeErrorBody['type'], message: string, options: ErrorOptions = {}): StripeError {
  const body: StripeErrorBody = { type, message };
  if (options.code !== undefined) {
    body.code = options.code;
    body.doc_url = docUrl(options.code);
  }
  if (options.param !== undefined) body.param = options.param;
  return new StripeError(options.status ?? 400, body);
}

export function invalidRequest(message: string, options: ErrorOptions = {}): StripeError {
  return stripeError('invalid_request_error', message, options);
}

export function parameterUnknown(param: string): StripeError {
  return invalidRequest(`Received unknown parameter: ${param}`, { code: 'parameter_unknown', param });
}

export function parameterMissing(param: string): StripeError {
  return invalidRequest(`Missing required param: ${param}.`, { code: 'parameter_missing', param });
}

export function parameterInvalidEmpty(param: string): StripeError {
  return invalidRequest(
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a ` +
      `parameter; however '${param}' cannot be unset. You should remove '${param}' from your request ` +
      `or supply a non-empty value.`,
    { code: 'parameter_invalid_empty', param },
  );
}

/** Two or more parameters that exclude each other were given. */
export function onlyOneOf(params: readonly string[]): StripeError {
  return invalidRequest(`You may only specify one of these parameters: ${params.join(', ')}.`, {
    param: params[0],
  });
}

/** `noun` as Stripe writes it in the message: customer, invoice, invoiceitem, price, product. */
export function resourceMissing(noun: string, id: string, param: string): StripeError {
  return invalidRequest(`No such ${noun}: '${id}'`, { code: 'resource_missing', param, status: 404 });
}

export function apiError(): StripeError {
  return stripeError('api_error', 'An unknown error occurred', { status: 500 });
}

export function errorEnvelope(body: StripeErrorBody): { error: StripeErrorBody } {
  return { error: body };
}
