import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Credentials in URLs never reach a log: a hook URL's token, and the one-time OAuth `code` and the
 * sealed `state` that Google sends back to the callback.
 */
export const redactUrl = (url: string) =>
  url.replace(/\/hooks\/[^/?#]+/, '/hooks/<token>').replace(/([?&](?:code|state)=)[^&#]*/g, '$1<redacted>');

/**
 * Paths masked in every log line, as a second guard: Authorization, Cookie and Set-Cookie headers,
 * the CSRF header, fields named for secrets (a password, a Stripe key) one level deep, and a
 * source's address (a CSV URL may hold a password or a token) in a body or settings.
 */
const REDACT = [
  ...['req.headers', 'res.headers', 'headers'].flatMap((h) => [
    `${h}.authorization`,
    `${h}.cookie`,
    `${h}["set-cookie"]`,
    `${h}["x-csrf-token"]`,
  ]),
  ...['secretKey', 'password', 'csrfToken', 'source.url', 'settings.url', 'source_settings'].flatMap((f) => [f, `*.${f}`]),
];

/**
 * The process's logger: JSON lines on stdout (or `destination`). Requests are logged as method and
 * URL only, with hook tokens masked; REDACT masks credentials should any reach a log line. Secrets
 * are never given to it in the first place.
 */
export function createLogger(o: { level?: string; enabled?: boolean; destination?: DestinationStream } = {}): Logger {
  const options = {
    level: o.level ?? process.env.LOG_LEVEL ?? 'info',
    enabled: o.enabled ?? true,
    redact: REDACT,
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }),
    },
  };
  return o.destination ? pino(options, o.destination) : pino(options);
}
