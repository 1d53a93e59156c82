/**
 * Everything else in the request (name, mapping) fits in what is left of the server's 1 MiB body
 * limit; the file's text is measured as JSON, the way it travels.
 */
export const MAX_UPLOAD_BYTES = 1_000_000;

export type ReadFile = { ok: true; text: string; encoding: 'utf-8' | 'windows-1251' } | { ok: false; bytes: number };

/**
 * Reads a CSV file chosen in the browser. UTF-8 first; a file that is not valid UTF-8 is read as
 * Windows-1251, which is what Excel saves "CSV" as on a Ukrainian or Russian Windows.
 */
export async function readCsvFile(file: File): Promise<ReadFile> {
  const buffer = await file.arrayBuffer();
  let text: string;
  let encoding: 'utf-8' | 'windows-1251' = 'utf-8';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    text = new TextDecoder('windows-1251').decode(buffer);
    encoding = 'windows-1251';
  }
  const bytes = new TextEncoder().encode(JSON.stringify(text)).length;
  return bytes > MAX_UPLOAD_BYTES ? { ok: false, bytes } : { ok: true, text, encoding };
}
