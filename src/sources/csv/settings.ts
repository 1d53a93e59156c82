import { z } from 'zod';

const SOURCES = ['path', 'url', 'content'] as const;

/**
 * A CSV file read on each run. Exactly one of:
 * - `path`: a file on the machine running Sluice;
 * - `url`: an http(s) address answering with the file (credentials in the URL are sent as Basic
 *   auth and never shown in messages);
 * - `content`: the file's text itself (an upload, a test).
 *
 * `keyColumn`: the column whose value identifies a row (an order number). Without it a row is
 * identified by a hash of its content (see row-key.ts).
 * `delimiter`: without it, guessed from the header line.
 */
export const csvSettingsSchema = z
  .strictObject({
    type: z.literal('csv'),
    path: z.string().trim().min(1, { error: "path is empty; give the CSV file's path" }).optional(),
    url: z
      .url({
        protocol: /^https?$/,
        error: 'url must be a full http:// or https:// address such as https://example.com/orders.csv',
      })
      .optional(),
    content: z.string().optional(),
    keyColumn: z.string().trim().min(1, { error: 'keyColumn is empty; name a column or leave keyColumn out' }).optional(),
    delimiter: z.enum([',', ';', '\t', '|'], { error: 'delimiter must be one of "," ";" "\\t" "|"' }).optional(),
  })
  .superRefine((settings, ctx) => {
    const given = SOURCES.filter((name) => settings[name] !== undefined);
    if (given.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        message:
          given.length === 0 ? 'give one of path, url or content' : `give only one of path, url or content, not ${given.join(' and ')}`,
        path: given.length === 0 ? [] : [given[1] ?? 'path'],
      });
    }
  });

export type CsvSettings = z.infer<typeof csvSettingsSchema>;
