import { z } from 'zod';

/**
 * A web form or any HTTP client posts rows to the connection's hook URL. `thankYouUrl`: where a
 * browser that posted an HTML form is sent afterwards (without it, it gets a short page).
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
