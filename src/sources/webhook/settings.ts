import { z } from 'zod';

/**
 * A web form or any HTTP client posts rows to the connection's hook URL. `thankYouUrl`: where a
 * browser that posted an HTML form is sent afterwards (without it, it gets a short page). Only an
 * http(s) address is taken: Sluice sends browsers there, and a `javascript:` or `data:` address
 * would run script of the connection owner's choosing on whoever posts the form.
 */
export const webhookSettingsSchema = z
  .object({
    type: z.literal('webhook'),
    thankYouUrl: z
      .string()
      .url({ message: 'must be a full http(s) URL such as https://example.com/thanks' })
      .refine((u) => /^https?:\/\//i.test(u), { message: 'must start with http:// or https://' })
      .optional(),
  })
  .strict();

export type WebhookSettings = z.infer<typeof webhookSettingsSchema>;

/**
 * The address a browser is redirected to after posting the form, as an encoded http(s) URL; or
 * undefined, when there is none or the stored one is not http(s) (settings are checked when saved;
 * this is checked again where the redirect is made, and also keeps characters a Location header
 * cannot carry out of it).
 */
export function thankYouRedirect(settings: WebhookSettings): string | undefined {
  if (settings.thankYouUrl === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(settings.thankYouUrl);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}
