import { pino, type Logger } from 'pino';

/**
 * Credentials in URLs never reach a log: a hook URL's token, and the one-time OAuth `code` and the
 * sealed `state` that Google sends back to the callback.
 */
export const redactUrl = (url: string) =>
  url.replace(/\/hooks\/[^/?#]+/, '/hooks/<token>').replace(/([?&](?:code|state)=)[^&#]*/g, '$1<redacted>');

/**
 * The process's logger: JSON lines on stdout. Authorization headers and cookies are redacted, and
 * request URLs have their hook tokens masked. Secrets are never given to it in the first place.
 */
export function createLogger(o: { level?: string; enabled?: boolean } = {}): Logger {
  return pino({
    level: o.level ?? process.env.LOG_LEVEL ?? 'info',
    enabled: o.enabled ?? true,
    redact: ['req.headers.authorization', 'req.headers.cookie', 'secretKey', '*.secretKey'],
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }),
    },
  });
}
