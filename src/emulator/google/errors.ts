/**
 * Google's error envelopes. The Sheets API answers `{"error":{"code","message","status"}}` (with
 * `details` for some); the OAuth token endpoint answers `{"error","error_description"}`. Messages
 * copy Google's wording where it is known, because clients match on `status` and show `message`.
 */
export type GoogleStatus =
  'INVALID_ARGUMENT' | 'UNAUTHENTICATED' | 'PERMISSION_DENIED' | 'NOT_FOUND' | 'RESOURCE_EXHAUSTED' | 'UNIMPLEMENTED' | 'INTERNAL';

export class GoogleApiError extends Error {
  constructor(
    readonly code: number,
    readonly status: GoogleStatus,
    message: string,
    readonly details?: readonly unknown[],
  ) {
    super(message);
    this.name = 'GoogleApiError';
  }

  body(): { error: { code: number; message: string; status: GoogleStatus; details?: readonly unknown[] } } {
    return { error: { code: this.code, message: this.message, status: this.status, ...(this.details ? { details: this.details } : {}) } };
  }
}

const SERVICE = 'sheets.googleapis.com';
const DEVCONSOLE = 'See https://developers.google.com/identity/sign-in/web/devconsole-project.';

export const invalidArgument = (message: string): GoogleApiError => new GoogleApiError(400, 'INVALID_ARGUMENT', message);

/** `range` exactly as the caller wrote it; Google prints it back unchanged. */
export const unableToParseRange = (range: string): GoogleApiError => invalidArgument(`Unable to parse range: ${range}`);

export const requiredButNotSpecified = (name: string): GoogleApiError => invalidArgument(`'${name}' is required but not specified`);

/** How Google refuses an enum value it does not know: `field` in snake_case, `type` the proto enum. */
export const invalidEnum = (field: string, type: string, value: string): GoogleApiError =>
  invalidArgument(`Invalid value at '${field}' (type.googleapis.com/google.apps.sheets.v4.${type}), "${value}"`);

export const invalidJson = (detail: string): GoogleApiError => invalidArgument(`Invalid JSON payload received. ${detail}`);

export const notFound = (): GoogleApiError => new GoogleApiError(404, 'NOT_FOUND', 'Requested entity was not found.');

export const permissionDenied = (): GoogleApiError => new GoogleApiError(403, 'PERMISSION_DENIED', 'The caller does not have permission');

function errorInfo(reason: string, rpc: string): unknown {
  return {
    '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
    reason,
    domain: 'googleapis.com',
    metadata: { service: SERVICE, method: rpc },
  };
}

/** No Authorization header at all (or not a Bearer one). */
export const credentialsMissing = (rpc: string): GoogleApiError =>
  new GoogleApiError(
    401,
    'UNAUTHENTICATED',
    `Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential. ${DEVCONSOLE}`,
    [errorInfo('CREDENTIALS_MISSING', rpc)],
  );

/** A Bearer token this emulator did not issue, or one that has expired. */
export const invalidCredentials = (rpc: string, expired: boolean): GoogleApiError =>
  new GoogleApiError(
    401,
    'UNAUTHENTICATED',
    `Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. ${DEVCONSOLE}`,
    expired ? [errorInfo('ACCESS_TOKEN_EXPIRED', rpc)] : undefined,
  );

export const insufficientScopes = (rpc: string): GoogleApiError =>
  new GoogleApiError(403, 'PERMISSION_DENIED', 'Request had insufficient authentication scopes.', [
    errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', rpc),
  ]);

export type QuotaKind = 'Read' | 'Write';

/** The consumer Google names in quota errors; the emulator has one fixed project. */
export const PROJECT_NUMBER = '100000000001';

export function quotaExceeded(kind: QuotaKind, limit: number): GoogleApiError {
  const metric = kind === 'Read' ? 'read_requests' : 'write_requests';
  return new GoogleApiError(
    429,
    'RESOURCE_EXHAUSTED',
    `Quota exceeded for quota metric '${kind} requests' and limit '${kind} requests per minute per user' of service '${SERVICE}' for consumer 'project_number:${PROJECT_NUMBER}'.`,
    [
      {
        '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
        reason: 'RATE_LIMIT_EXCEEDED',
        domain: 'googleapis.com',
        metadata: {
          service: SERVICE,
          quota_metric: `${SERVICE}/${metric}`,
          quota_limit: `${kind}RequestsPerMinutePerUser`,
          quota_limit_value: String(limit),
          quota_location: 'global',
          consumer: `projects/${PROJECT_NUMBER}`,
        },
      },
      {
        '@type': 'type.googleapis.com/google.rpc.Help',
        links: [{ description: 'Request a higher quota limit.', url: 'https://cloud.google.com/docs/quotas/help/request_increase' }],
      },
    ],
  );
}

export const payloadTooLarge = (limit: number): GoogleApiError =>
  new GoogleApiError(413, 'INVALID_ARGUMENT', `Request payload size exceeds the limit: ${limit} bytes.`);

export const internalError = (): GoogleApiError => new GoogleApiError(500, 'INTERNAL', 'Internal error encountered.');

/** An error of the OAuth endpoints (RFC 6749 §5.2 shape, Google's wording). */
export class OAuthError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }

  body(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.description };
  }
}

export const invalidGrant = (description: string): OAuthError => new OAuthError(400, 'invalid_grant', description);
export const invalidRequest = (description: string): OAuthError => new OAuthError(400, 'invalid_request', description);
