import { pino, type Logger } from 'pino';

/** A hook URL's token is a credential: it never reaches a log. */
export const redactUrl = (url: string) => url.replace(/\/hooks\/[^/?#]+/, '/hooks/<token>');

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
