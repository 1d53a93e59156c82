import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Credentials in URLs never reach a log: a hook URL's token, and the one-time OAuth `code` and the
 * sealed `state` that Google sends back to the callback.
 */
export const redactUrl = (url: string) =>
  url.replace(/\/hooks\/[^/?#]+/, '/hooks/<token>').replace(/([?&](?:code|state)=)[^&#]*/g, '$1<redacted>');

/**
 * Paths masked in every log line, as a second guard: Authorization, Cookie and Set-Cookie headers,
 * the CSRF header, and fields named for secrets (a password, a Stripe key) one level deep.
 */
const REDACT = [
  ...['req.headers', 'res.headers', 'headers'].flatMap((h) => [
    `${h}.authorization`,
    `${h}.cookie`,
    `${h}["set-cookie"]`,
    `${h}["x-csrf-token"]`,
  ]),
  ...['secretKey', 'password', 'csrfToken'].flatMap((f) => [f, `*.${f}`]),
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
