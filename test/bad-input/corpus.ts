/**
 * The bad-input corpus: malformed rows and requests, each with where it enters Sluice and what its
 * error must say — the field, the offending value (or an excerpt of a huge one) and what is
 * allowed — as regular expressions. `test/bad-input.test.ts` throws every case at a real server,
 * mixed with good rows, and checks that each gets its clear error, that the good rows reach Stripe
 * exactly once, and that the process stays up. Near misses (a phone number that starts with +, a
 * negative amount, which is a credit) are listed too, in `nearMisses`: they must go through.
 *
 * Add a case here when a new kind of bad input turns up; the test needs no change.
 */

/** What an error must say. `value` is left out only where the value is a secret, which must not be echoed. */
export interface Says {
  field: RegExp;
  value?: RegExp;
  allowed: RegExp;
}

export type Category =
  | 'email'
  | 'amount'
  | 'currency'
  | 'country'
  | 'length'
  | 'control characters'
  | 'formula'
  | 'nested JSON'
  | 'content type'
  | 'body'
  | 'csv shape'
  | 'mapping'
  | 'schedule'
  | 'query'
  | 'api fields';

/**
 * The connections rows enter through, one per action:
 * - `customer`: stripe.create_customer, columns Key, Email, Name, Phone, Description, City, Country, Note
 *   (Note → metadata.note); a webhook posts email, name, description, note.
 * - `item`: stripe.create_invoice_item, columns Key, Customer, Amount, Currency, Description; the test
 *   fills Customer with an existing customer's id unless the case gives it.
 */
export type Fixture = 'customer' | 'item';

/** One HTTP request as sent. `declaredLength` larger than the body: the body is cut short and the connection closed. */
export interface RawRequest {
  method?: string;
  /** For API cases; webhook cases go to the fixture's hook URL. */
  path?: string;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** A JSON value to send as `application/json`, instead of `body`. */
  json?: unknown;
  declaredLength?: number;
}

/** Ids an API case can refer to: set up by the test before the corpus runs. */
export interface ApiContext {
  accountId: string;
  /** A CSV connection (stripe.create_customer) with one sent row. */
  connectionId: string;
  /** A finished run of that connection. */
  runId: string;
}

interface Base {
  name: string;
  category: Category;
  says: Says;
}

/** A row of a CSV file, between good rows; it must end `failed` in the ledger with its error. */
export interface CsvRowCase extends Base {
  entry: 'csv row';
  fixture: Fixture;
  row: Record<string, string>;
}

/** A whole CSV file, good rows in it; `outcome` says whether the bad row fails alone or the run stops. */
export interface CsvFileCase extends Base {
  entry: 'csv file';
  fixture: Fixture;
  /**
   * The file's text, with `{{good1}}` and `{{good2}}` where the test puts two good rows and
   * `{{customer}}` for an existing customer's id. Written to a file in `encoding` (Default: utf8).
   */
  content: string;
  encoding?: 'utf8' | 'latin1';
  /** `row failed`: the row with key `bad` fails, the good rows are sent. `run failed`: nothing is taken in or sent. */
  outcome: 'row failed' | 'run failed';
  /** A different mapping than the fixture's. */
  mapping?: Record<string, string>;
}

/** A webhook post that is accepted (202) but whose row then fails in the ledger. */
export interface WebhookRowCase extends Base {
  entry: 'webhook row';
  fixture: 'customer';
  request: RawRequest;
}

/** A webhook post refused at the door: nothing recorded. */
export interface WebhookPostCase extends Base {
  entry: 'webhook post';
  status: 400 | 413 | 415;
  request: RawRequest;
}

/** A request to the REST API; `read: 'preview'` reads the errors of the preview's rows instead of the error body. */
export interface ApiCase extends Base {
  entry: 'api';
  status: number;
  request: (ctx: ApiContext) => RawRequest;
  read?: 'error' | 'preview';
  /** A secret the request holds, which the answer must not repeat. */
  secret?: string;
}

export type BadInput = CsvRowCase | CsvFileCase | WebhookRowCase | WebhookPostCase | ApiCase;

/** A value that looks suspicious but is valid: the row must be sent, with `sent` in the Stripe object. */
export interface NearMiss {
  name: string;
  fixture: Fixture;
  row: Record<string, string>;
  /** A path in the Stripe object (`address.country`) and the value it must have. */
  sent: { path: string; value: string | number };
}

/** The largest webhook body the test servers accept (SLUICE_WEBHOOK_MAX_BYTES). */
export const WEBHOOK_MAX_BYTES = 65_536;

const re = (text: string) => new RegExp(text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
/** The field at the start of a message or after `; ` (a row's errors are joined by semicolons). */
const field = (name: string) => new RegExp(`(^|; |: )${re(name).source}: `);
const json = (value: unknown): RawRequest => ({ json: value });
const connection = (ctx: ApiContext, extra: Record<string, unknown> = {}, mapping: Record<string, unknown> = { email: '{{Email}}' }) => ({
  method: 'POST',
  path: '/api/connections',
  json: {
    name: 'Bad input',
    source: { type: 'csv', content: 'Email\nada@example.com\n' },
    action: 'stripe.create_customer',
    accountId: ctx.accountId,
    mapping,
    ...extra,
  },
});
const notAnEmail = /is not an email address such as ada@example\.com/;
const hyperlink = '=HYPERLINK("http://evil.example","click")';

const csvRows: CsvRowCase[] = [
  // email
  {
    name: 'email with a space',
    entry: 'csv row',
    category: 'email',
    fixture: 'customer',
    row: { Email: 'ada lovelace@example.com' },
    says: { field: field('email'), value: re('"ada lovelace@example.com"'), allowed: /such as ada@example\.com: it has a space/ },
  },
  {
    name: 'email with two @',
    entry: 'csv row',
    category: 'email',
    fixture: 'customer',
    row: { Email: 'ada@@example.com' },
    says: { field: field('email'), value: re('"ada@@example.com"'), allowed: /it has 2 @ signs; an address has exactly one/ },
  },
  {
    name: 'email with a trailing dot',
    entry: 'csv row',
    category: 'email',
    fixture: 'customer',
    row: { Email: 'ada@example.com.' },
    says: { field: field('email'), value: re('"ada@example.com."'), allowed: /it ends with a dot/ },
  },
  {
    name: 'email with a Cyrillic lookalike letter',
    entry: 'csv row',
    category: 'email',
    fixture: 'customer',
    row: { Email: 'ada@ex\u0430mple.com' },
    says: { field: field('email'), value: re('"ada@exаmple.com"'), allowed: /mixes Latin and Cyrillic letters .*U\+0430.*one alphabet/ },
  },
  {
    name: 'email with a zero-width space',
    entry: 'csv row',
    category: 'email',
    fixture: 'customer',
    row: { Email: 'ada@exam\u200bple.com' },
    says: { field: field('email'), value: re('"ada@exam\\u200bple.com"'), allowed: /invisible character U\+200B/ },
  },
  {
    name: 'customer email with two dots in a row',
    entry: 'csv row',
    category: 'email',
    fixture: 'item',
    row: { Customer: 'ada@example..com' },
    says: { field: field('customer'), value: re('"ada@example..com"'), allowed: /two dots in a row/ },
  },
  {
    name: 'not an email at all',
    entry: 'csv row',
    category: 'email',
    fixture: 'customer',
    row: { Email: 'call me' },
    says: { field: field('email'), value: re('"call me"'), allowed: notAnEmail },
  },
  // amount
  ...(
    [
      ['amount 12,5,0', '12,5,0', 'usd', /is not a number: the digits between thousands separators should come in groups of three/],
      ['amount 1e5', '1e5', 'usd', /exponent notation is not accepted; write all the digits/],
      ['amount NaN', 'NaN', 'usd', /is not a number/],
      ['amount Infinity', 'Infinity', 'usd', /is not a number/],
      ['amount in Arabic-Indic digits', '١٢٣', 'usd', /is not a number: write its digits as 0–9/],
      ['amount that is a formula', '=1+2', 'usd', /is not a number/],
      ['amount with decimals in JPY', '1.5', 'jpy', /has decimals, but JPY has no minor unit/],
      ['amount with three decimals in USD', '0.005', 'usd', /has more decimals than USD allows \(2\)/],
      ['amount with four decimals in BHD', '1.0005', 'bhd', /has more decimals than BHD allows \(3\)/],
      ['amount beyond Stripe’s maximum in USD', '1000000', 'usd', /more than Stripe accepts: at most 999999\.99 USD \(99999999 in/],
      ['amount beyond Stripe’s maximum in KWD', '150000', 'kwd', /is 150000\.000 KWD, more than Stripe accepts: at most 99999\.999 KWD/],
      ['amount with a currency sign of another currency', '€12.50', 'usd', /has the currency sign €, which does not stand for USD/],
    ] as const
  ).map(([name, amount, currency, allowed]): CsvRowCase => ({
    name,
    entry: 'csv row',
    category: 'amount',
    fixture: 'item',
    row: { Amount: amount, Currency: currency },
    says: { field: field('amount'), value: re(JSON.stringify(amount)), allowed },
  })),
  // currency
  ...(
    [
      ['currency US$', 'US$', /is not a currency code; use a three-letter ISO code such as usd/],
      ['currency usdd', 'usdd', /is not a currency code; use a three-letter ISO code such as usd/],
      ['currency xxx', 'xxx', /is not a currency Stripe supports; use a three-letter ISO code/],
    ] as const
  ).map(([name, currency, allowed]): CsvRowCase => ({
    name,
    entry: 'csv row',
    category: 'currency',
    fixture: 'item',
    row: { Currency: currency },
    says: { field: field('currency'), value: re(JSON.stringify(currency)), allowed },
  })),
  {
    name: 'currency left empty',
    entry: 'csv row',
    category: 'currency',
    fixture: 'item',
    row: { Amount: '12.50', Currency: '' },
    says: { field: field('amount'), value: re('"12.50"'), allowed: /cannot be converted without a valid currency/ },
  },
  // country
  {
    name: 'country UKR (three letters)',
    entry: 'csv row',
    category: 'country',
    fixture: 'customer',
    row: { Country: 'UKR' },
    says: { field: field('address.country'), value: re('"UKR"'), allowed: /two-letter country code \(ISO 3166-1 alpha-2\) such as UA/ },
  },
  {
    name: 'country uk (not ISO)',
    entry: 'csv row',
    category: 'country',
    fixture: 'customer',
    row: { Country: 'uk' },
    says: { field: field('address.country'), value: re('"uk"'), allowed: /not a country code in ISO 3166-1; use GB/ },
  },
  // length
  {
    name: 'description of 5,001 characters',
    entry: 'csv row',
    category: 'length',
    fixture: 'customer',
    row: { Description: 'd'.repeat(5001) },
    says: { field: field('description'), value: re(`"${'d'.repeat(80)}…"`), allowed: /is 5001 characters long; at most 350 are allowed/ },
  },
  {
    name: 'name of 100,000 characters',
    entry: 'csv row',
    category: 'length',
    fixture: 'customer',
    row: { Name: 'n'.repeat(100_000) },
    says: { field: field('name'), value: re(`"${'n'.repeat(80)}…"`), allowed: /is 100000 characters long; at most 256 are allowed/ },
  },
  {
    name: 'metadata value of 501 characters',
    entry: 'csv row',
    category: 'length',
    fixture: 'customer',
    row: { Note: 'v'.repeat(501) },
    says: { field: field('metadata.note'), value: re(`"${'v'.repeat(80)}…"`), allowed: /is 501 characters long; at most 500 are allowed/ },
  },
  {
    name: 'phone of 30 characters',
    entry: 'csv row',
    category: 'length',
    fixture: 'customer',
    row: { Phone: '+380 44 123 4567 ext. 1234567' },
    says: { field: field('phone'), value: re('"+380 44 123 4567 ext. 1234567"'), allowed: /at most 20 are allowed/ },
  },
  {
    name: 'invoice item description of 501 characters',
    entry: 'csv row',
    category: 'length',
    fixture: 'item',
    row: { Description: 'i'.repeat(501) },
    says: { field: field('description'), value: /"i{80}…"/, allowed: /is 501 characters long; at most 500 are allowed/ },
  },
  // control characters
  {
    name: 'NUL in a name',
    entry: 'csv row',
    category: 'control characters',
    fixture: 'customer',
    row: { Name: 'Ada\u0000Lovelace' },
    says: {
      field: field('name'),
      value: re('"Ada\\u0000Lovelace"'),
      allowed: /control character U\+0000 \(NUL\) at character 4; remove it/,
    },
  },
  {
    name: 'BEL in a name',
    entry: 'csv row',
    category: 'control characters',
    fixture: 'customer',
    row: { Name: 'Ada\u0007' },
    says: { field: field('name'), value: re('"Ada\\u0007"'), allowed: /U\+0007 \(BELL\).*only tabs and line breaks are allowed/ },
  },
  {
    name: 'ANSI escape in a description',
    entry: 'csv row',
    category: 'control characters',
    fixture: 'customer',
    row: { Description: '\u001b[31mred alert' },
    says: { field: field('description'), value: re('"\\u001b[31mred alert"'), allowed: /U\+001B \(ESCAPE\) at character 1/ },
  },
  {
    name: 'vertical tab in a city',
    entry: 'csv row',
    category: 'control characters',
    fixture: 'customer',
    row: { City: 'Ky\u000biv' },
    says: { field: field('address.city'), value: re('"Ky\\u000biv"'), allowed: /U\+000B \(VERTICAL TAB\)/ },
  },
  {
    name: 'C1 control character in a name',
    entry: 'csv row',
    category: 'control characters',
    fixture: 'customer',
    row: { Name: 'Ada\u0085Lovelace' },
    says: { field: field('name'), value: re('"Ada\\u0085Lovelace"'), allowed: /control character U\+0085 at character 4/ },
  },
  {
    name: 'right-to-left override in a name',
    entry: 'csv row',
    category: 'control characters',
    fixture: 'customer',
    row: { Name: 'Invoice \u202egnp.exe' },
    says: { field: field('name'), value: re('"Invoice \\u202egnp.exe"'), allowed: /U\+202E \(RIGHT-TO-LEFT OVERRIDE\).*remove it/ },
  },
  {
    name: 'lone surrogate in an uploaded CSV (arrives as U+FFFD)',
    entry: 'csv row',
    category: 'control characters',
    fixture: 'customer',
    row: { Name: 'Ada \ud83d' },
    says: { field: field('name'), value: re('"Ada �"'), allowed: /U\+FFFD \(the replacement character\).*not saved as UTF-8/ },
  },
  {
    name: 'control character in a metadata value',
    entry: 'csv row',
    category: 'control characters',
    fixture: 'customer',
    row: { Note: 'a\u0008b' },
    says: { field: field('metadata.note'), value: re('"a\\bb"'), allowed: /U\+0008 \(BACKSPACE\)/ },
  },
  // formula
  ...(
    [
      ['formula =HYPERLINK in a name', 'Name', 'name', hyperlink],
      ['formula +cmd| (DDE) in a name', 'Name', 'name', "+cmd|' /C calc'!A0"],
      ['formula @SUM in a description', 'Description', 'description', '@SUM(A1)'],
      ['formula -2+3 in a name', 'Name', 'name', '-2+3'],
      ['formula =A1 in a city', 'City', 'address.city', '=A1'],
      ['formula in a metadata value', 'Note', 'metadata.note', '=1+2'],
    ] as const
  ).map(([name, column, key, value]): CsvRowCase => ({
    name,
    entry: 'csv row',
    category: 'formula',
    fixture: 'customer',
    row: { [column]: value },
    says: {
      field: field(key),
      value: re(JSON.stringify(value)),
      allowed: /looks like a spreadsheet formula; export the sheet's values, not its formulas/,
    },
  })),
  {
    name: 'formula in an invoice item description',
    entry: 'csv row',
    category: 'formula',
    fixture: 'item',
    row: { Description: hyperlink },
    says: { field: field('description'), value: re(JSON.stringify(hyperlink)), allowed: /looks like a spreadsheet formula/ },
  },
];

/** The CSV header and a row of each fixture, for the file cases. */
const customerHeader = 'Key,Email,Name,Phone,Description,City,Country,Note';

const csvFiles: CsvFileCase[] = [
  {
    name: 'a row with more values than the header',
    entry: 'csv file',
    category: 'csv shape',
    fixture: 'customer',
    content: `${customerHeader}\n{{good1}}\nbad,extra@example.com,Ada,,,Kyiv,UA,note,oops\n{{good2}}\n`,
    outcome: 'row failed',
    says: {
      field: /line 3 /,
      value: /has 9 values but the header has 8 columns \(extra: "oops"\)/,
      allowed: /put a value that holds the delimiter between double quotes/,
    },
  },
  {
    name: 'a row with fewer values than the header',
    entry: 'csv file',
    category: 'csv shape',
    fixture: 'item',
    content: 'Key,Customer,Amount,Currency,Description\n{{good1}}\nbad,{{customer}},12.50\n{{good2}}\n',
    outcome: 'row failed',
    says: { field: field('amount'), value: re('"12.50"'), allowed: /cannot be converted without a valid currency/ },
  },
  {
    name: 'a quote that is never closed',
    entry: 'csv file',
    category: 'csv shape',
    fixture: 'customer',
    content: `${customerHeader}\n{{good1}}\nbad,"open@example.com,Ada,,,,,\n{{good2}}\n`,
    outcome: 'run failed',
    says: {
      field: /line 3/,
      value: /has a quote that is never closed/,
      allowed: /end a quoted value with ", and write a quote inside one as ""/,
    },
  },
  {
    name: 'bytes that are not UTF-8 (a Latin-1 file)',
    entry: 'csv file',
    category: 'control characters',
    fixture: 'customer',
    content: `${customerHeader}\n{{good1}}\nbad,latin@example.com,Olé Ønes,,,,,\n{{good2}}\n`,
    encoding: 'latin1',
    outcome: 'row failed',
    says: {
      field: field('name'),
      value: re('"Ol� �nes"'),
      allowed: /U\+FFFD \(the replacement character\) at character 3.*not saved as UTF-8/,
    },
  },
  {
    name: 'a mapping template naming a column the file does not have',
    entry: 'csv file',
    category: 'mapping',
    fixture: 'customer',
    content: `${customerHeader}\n{{good1}}\nbad,nobody@example.com,,,,,,\n{{good2}}\n`,
    mapping: { email: '{{Emial}}', name: '{{Name}}' },
    outcome: 'run failed',
    says: { field: /the mapping uses "Emial"/, value: /which the source no longer has/, allowed: /columns are: Key, Email, Name/ },
  },
];

const webhookRows: WebhookRowCase[] = [
  {
    name: 'a JSON object where the name is expected',
    entry: 'webhook row',
    category: 'nested JSON',
    fixture: 'customer',
    request: json({ email: 'object@hooks.example', name: { first: 'Ada', last: 'Lovelace' } }),
    says: {
      field: field('name'),
      value: /uses "name", which is an object or a list in this row \(it has name\.first, name\.last\)/,
      allowed: /not text; map one of its fields, such as \{\{name\.first\}\}/,
    },
  },
  {
    name: 'a JSON array where the name is expected',
    entry: 'webhook row',
    category: 'nested JSON',
    fixture: 'customer',
    request: json({ email: 'array@hooks.example', name: ['Ada', 'Lovelace'] }),
    says: { field: field('name'), value: /it has name\.0, name\.1/, allowed: /such as \{\{name\.0\}\}/ },
  },
  {
    name: 'NUL in a posted name',
    entry: 'webhook row',
    category: 'control characters',
    fixture: 'customer',
    request: json({ email: 'nul@hooks.example', name: 'Ada\u0000' }),
    says: { field: field('name'), value: re('"Ada\\u0000"'), allowed: /U\+0000 \(NUL\)/ },
  },
  {
    name: 'a lone surrogate in a posted name (half an emoji)',
    entry: 'webhook row',
    category: 'control characters',
    fixture: 'customer',
    request: { headers: { 'content-type': 'application/json' }, body: '{"email": "surrogate@hooks.example", "name": "Ada \\ud83d"}' },
    says: { field: field('name'), value: re('"Ada \\ud83d"'), allowed: /lone surrogate U\+D83D at character 5/ },
  },
  {
    name: 'a bidirectional isolate in a posted description',
    entry: 'webhook row',
    category: 'control characters',
    fixture: 'customer',
    request: json({ email: 'bidi@hooks.example', description: 'paid \u2067admin\u2069' }),
    says: { field: field('description'), value: re('"paid \\u2067admin\\u2069"'), allowed: /U\+2067 \(RIGHT-TO-LEFT ISOLATE\)/ },
  },
  {
    name: 'a formula posted from an HTML form',
    entry: 'webhook row',
    category: 'formula',
    fixture: 'customer',
    request: {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: 'form@hooks.example', name: hyperlink }).toString(),
    },
    says: { field: field('name'), value: re(JSON.stringify(hyperlink)), allowed: /looks like a spreadsheet formula/ },
  },
  {
    name: 'a posted name of 9,000 characters',
    entry: 'webhook row',
    category: 'length',
    fixture: 'customer',
    request: json({ email: 'long@hooks.example', name: 'w'.repeat(9000) }),
    says: { field: field('name'), value: /"w{80}…"/, allowed: /is 9000 characters long; at most 256 are allowed/ },
  },
  {
    name: 'a posted email with a trailing dot',
    entry: 'webhook row',
    category: 'email',
    fixture: 'customer',
    request: json({ email: 'dot@hooks.example.', name: 'Dot' }),
    says: { field: field('email'), value: re('"dot@hooks.example."'), allowed: /it ends with a dot/ },
  },
  {
    name: 'a posted metadata value that is a formula',
    entry: 'webhook row',
    category: 'formula',
    fixture: 'customer',
    request: json({ email: 'meta@hooks.example', note: '@SUM(A1:A9)' }),
    says: { field: field('metadata.note'), value: re('"@SUM(A1:A9)"'), allowed: /looks like a spreadsheet formula/ },
  },
];

const deep = (levels: number) => `${'{"a":'.repeat(levels)}"x"${'}'.repeat(levels)}`;
const jsonType = { 'content-type': 'application/json' };
const beforeBadByte = '{"email": "bytes@hooks.example", "name": "Ol';
const invalidUtf8 = Uint8Array.from([...Buffer.from(beforeBadByte), 0xe9, ...Buffer.from('"}')]);
const bigPost = JSON.stringify({ email: 'big@hooks.example', note: 'x'.repeat(WEBHOOK_MAX_BYTES) });

const webhookPosts: WebhookPostCase[] = [
  {
    name: 'a JSON body with __proto__',
    entry: 'webhook post',
    category: 'nested JSON',
    status: 400,
    request: { headers: jsonType, body: '{"email": "proto@hooks.example", "__proto__": {"admin": true}}' },
    says: { field: /a field named "__proto__"/, value: /\(at "__proto__"\)/, allowed: /is not accepted; rename the field/ },
  },
  {
    name: 'a JSON body with constructor.prototype',
    entry: 'webhook post',
    category: 'nested JSON',
    status: 400,
    request: { headers: jsonType, body: '{"email": "ctor@hooks.example", "constructor": {"prototype": {"admin": true}}}' },
    says: { field: /a field named "constructor"/, value: /\(at "constructor"\)/, allowed: /is not accepted; rename the field/ },
  },
  {
    name: 'JSON nested 9 levels',
    entry: 'webhook post',
    category: 'nested JSON',
    status: 400,
    request: { headers: jsonType, body: deep(9) },
    says: { field: /"a\.a\.a\.a\.a\.a\.a\.a"/, value: /is nested deeper than 8 levels/, allowed: /\(the limit\)/ },
  },
  {
    name: 'JSON nested 10,000 levels',
    entry: 'webhook post',
    category: 'nested JSON',
    status: 400,
    request: { headers: jsonType, body: deep(10_000) },
    says: { field: /the body/, value: /is nested 10000 levels deep/, allowed: /at most 64 levels are accepted/ },
  },
  {
    name: 'a JSON array instead of an object',
    entry: 'webhook post',
    category: 'nested JSON',
    status: 400,
    request: json([{ email: 'list@hooks.example' }]),
    says: { field: /the body/, value: /got an array/, allowed: /must be a JSON object of fields/ },
  },
  {
    name: 'malformed JSON (cut off)',
    entry: 'webhook post',
    category: 'body',
    status: 400,
    request: { headers: jsonType, body: '{"email": "cut@hooks.example",' },
    says: { field: /the body/, value: /is not valid JSON/, allowed: /JSON/ },
  },
  {
    name: 'Content-Type text/plain',
    entry: 'webhook post',
    category: 'content type',
    status: 415,
    request: { headers: { 'content-type': 'text/plain' }, body: '{"email": "plain@hooks.example"}' },
    says: { field: /Content-Type/, value: /"text\/plain"/, allowed: /send application\/json or application\/x-www-form-urlencoded/ },
  },
  {
    name: 'Content-Type multipart/form-data',
    entry: 'webhook post',
    category: 'content type',
    status: 415,
    request: {
      headers: { 'content-type': 'multipart/form-data; boundary=xyz' },
      body: '--xyz\r\nContent-Disposition: form-data; name="email"\r\n\r\nmulti@hooks.example\r\n--xyz--\r\n',
    },
    says: {
      field: /Content-Type/,
      value: /"multipart\/form-data; boundary=xyz"/,
      allowed: /send application\/json or application\/x-www-form-urlencoded/,
    },
  },
  {
    name: 'Content-Type application/xml',
    entry: 'webhook post',
    category: 'content type',
    status: 415,
    request: { headers: { 'content-type': 'application/xml' }, body: '<row><email>xml@hooks.example</email></row>' },
    says: { field: /Content-Type/, value: /"application\/xml"/, allowed: /send application\/json/ },
  },
  {
    name: 'a body without a Content-Type',
    entry: 'webhook post',
    category: 'content type',
    status: 415,
    request: { body: Buffer.from('email=none@hooks.example') },
    says: { field: /the body/, value: /has no Content-Type/, allowed: /send application\/json/ },
  },
  {
    name: 'a body shorter than its Content-Length',
    entry: 'webhook post',
    category: 'body',
    status: 400,
    request: { headers: jsonType, body: '{"email": "trunc@hooks.example", "na', declaredLength: 200 },
    says: { field: /Content-Length/, value: /\(200 bytes\)/, allowed: /the body is shorter than its Content-Length.*send the whole body/ },
  },
  {
    name: 'a body above SLUICE_WEBHOOK_MAX_BYTES',
    entry: 'webhook post',
    category: 'body',
    status: 413,
    request: { headers: jsonType, body: bigPost },
    says: {
      field: /the body is too large/,
      value: new RegExp(`: ${bigPost.length} bytes`),
      allowed: new RegExp(`at most ${WEBHOOK_MAX_BYTES} bytes are accepted \\(SLUICE_WEBHOOK_MAX_BYTES\\)`),
    },
  },
  {
    name: 'JSON with bytes that are not UTF-8',
    entry: 'webhook post',
    category: 'body',
    status: 400,
    request: { headers: jsonType, body: invalidUtf8 },
    says: {
      field: /the body is not UTF-8 text/,
      value: new RegExp(`byte ${beforeBadByte.length + 1} \\(0xE9, after ".*Ol"\\)`),
      allowed: /send the body encoded as UTF-8/,
    },
  },
  {
    name: 'a form field with a %-escape that is not UTF-8',
    entry: 'webhook post',
    category: 'body',
    status: 400,
    request: { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'email=latin%40hooks.example&name=Ol%E9' },
    says: { field: /^name: /, value: /"Ol%E9"/, allowed: /send the form encoded as UTF-8/ },
  },
  {
    name: 'a value of 10,001 characters',
    entry: 'webhook post',
    category: 'length',
    status: 400,
    request: json({ email: 'huge@hooks.example', name: 'h'.repeat(10_001) }),
    says: { field: /the value of "name"/, value: /has 10001 characters \("h{40}…"\)/, allowed: /the limit is 10000/ },
  },
  {
    name: 'more than 500 fields',
    entry: 'webhook post',
    category: 'length',
    status: 400,
    request: json(Object.fromEntries(Array.from({ length: 501 }, (_, i) => [`f${i}`, 'x']))),
    says: { field: /"f500"/, value: /more than 500 fields/, allowed: /\(the limit\)/ },
  },
  {
    name: 'an Idempotency-Key with a tab',
    entry: 'webhook post',
    category: 'control characters',
    status: 400,
    request: { headers: { ...jsonType, 'idempotency-key': 'order\t77' }, body: '{"email": "idem@hooks.example"}' },
    says: { field: /^Idempotency-Key: /, value: re('"order\\t77"'), allowed: /must be 1 to 255 visible ASCII characters/ },
  },
];

const apiAuthless = (path: string, body: unknown): RawRequest => ({ method: 'POST', path, json: body });

const apiCases: ApiCase[] = [
  // mapping
  {
    name: 'unknown mapping field emial',
    entry: 'api',
    category: 'mapping',
    status: 400,
    request: (ctx) => connection(ctx, {}, { emial: '{{Email}}' }),
    says: {
      field: field('mapping.emial'),
      value: /is not a field of stripe\.create_customer \(did you mean email\?\)/,
      allowed: /fields are: email, name, phone/,
    },
  },
  {
    name: 'unknown mapping field in a PATCH',
    entry: 'api',
    category: 'mapping',
    status: 400,
    request: (ctx) => ({
      method: 'PATCH',
      path: `/api/connections/${ctx.connectionId}`,
      json: { mapping: { email: '{{Email}}', nmae: '{{Name}}' } },
    }),
    says: { field: field('mapping.nmae'), value: /did you mean name\?/, allowed: /fields are: email, name/ },
  },
  {
    name: 'metadata key of 41 characters',
    entry: 'api',
    category: 'mapping',
    status: 400,
    request: (ctx) => connection(ctx, {}, { email: '{{Email}}', [`metadata.${'k'.repeat(41)}`]: '{{Email}}' }),
    says: {
      field: field(`mapping.metadata.${'k'.repeat(41)}`),
      value: re(`the key "${'k'.repeat(41)}"`),
      allowed: /metadata keys are 1 to 40 characters without square brackets/,
    },
  },
  {
    name: 'more than 49 metadata keys',
    entry: 'api',
    category: 'mapping',
    status: 400,
    request: (ctx) =>
      connection(ctx, {}, { email: '{{Email}}', ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`metadata.k${i}`, 'x'])) }),
    says: { field: field('mapping.metadata'), value: /has 50 metadata\.<key> entries/, allowed: /at most 49 are allowed/ },
  },
  {
    name: 'currency constant US$',
    entry: 'api',
    category: 'currency',
    status: 400,
    request: (ctx) => ({
      ...connection(ctx),
      json: {
        ...(connection(ctx).json as object),
        action: 'stripe.create_invoice_item',
        mapping: { customer: '{{Email}}', amount: '5', currency: 'US$' },
      },
    }),
    says: { field: field('mapping.currency'), value: re('"US$"'), allowed: /use a three-letter ISO code such as usd/ },
  },
  {
    name: 'a JSON object where a mapping template is expected',
    entry: 'api',
    category: 'nested JSON',
    status: 400,
    request: (ctx) => connection(ctx, {}, { email: { column: 'Email' } }),
    says: {
      field: field('mapping.email'),
      value: re('"{\\"column\\":\\"Email\\"}"'),
      allowed: /must be a template string such as "\{\{Email\}\}" or a constant/,
    },
  },
  {
    name: 'a template that is never closed',
    entry: 'api',
    category: 'mapping',
    status: 400,
    request: (ctx) => connection(ctx, {}, { email: '{{Email' }),
    says: { field: field('mapping.email'), value: /the \{\{ at character 1/, allowed: /end the field name with \}\}/ },
  },
  {
    name: 'a formula as a mapping constant',
    entry: 'api',
    category: 'formula',
    status: 400,
    request: (ctx) => connection(ctx, {}, { email: '{{Email}}', name: hyperlink }),
    says: { field: field('mapping.name'), value: re(JSON.stringify(hyperlink)), allowed: /looks like a spreadsheet formula/ },
  },
  {
    name: 'a CSV content that is an object',
    entry: 'api',
    category: 'nested JSON',
    status: 400,
    request: (ctx) => connection(ctx, { source: { type: 'csv', content: { rows: [] } } }),
    says: { field: field('source.content'), value: re('"{\\"rows\\":[]}"'), allowed: /is not text \(a string\)/ },
  },
  {
    name: 'a connection name of 300 characters',
    entry: 'api',
    category: 'api fields',
    status: 400,
    request: (ctx) => connection(ctx, { name: 'c'.repeat(300) }),
    says: { field: field('name'), value: /"c{80}…"/, allowed: /is 300 characters long; at most 200 are allowed/ },
  },
  // schedule
  {
    name: 'schedule at 25:00',
    entry: 'api',
    category: 'schedule',
    status: 400,
    request: (ctx) => connection(ctx, { schedule: { kind: 'times', times: ['09:00', '25:00'], timezone: 'Europe/Kyiv' } }),
    says: { field: /schedule\.times\[1\]: /, value: re('"25:00"'), allowed: /use HH:MM from 00:00 to 23:59/ },
  },
  {
    name: 'schedule in an unknown time zone',
    entry: 'api',
    category: 'schedule',
    status: 400,
    request: (ctx) => connection(ctx, { schedule: { kind: 'times', times: ['09:00'], timezone: 'Mars/Olympus_Mons' } }),
    says: { field: /schedule\.timezone: /, value: re('"Mars/Olympus_Mons"'), allowed: /an IANA time zone such as Europe\/Kyiv/ },
  },
  {
    name: 'schedule every 0 minutes',
    entry: 'api',
    category: 'schedule',
    status: 400,
    request: (ctx) => connection(ctx, { schedule: { kind: 'interval', minutes: 0 } }),
    says: { field: /schedule\.minutes: /, value: /: 0 is not an interval/, allowed: /whole number of minutes from 1 to 10080/ },
  },
  {
    name: 'schedule on an unknown day, in a PATCH',
    entry: 'api',
    category: 'schedule',
    status: 400,
    request: (ctx) => ({
      method: 'PATCH',
      path: `/api/connections/${ctx.connectionId}`,
      json: { schedule: { kind: 'times', times: ['09:00'], timezone: 'Europe/Kyiv', days: ['mon', 'funday'] } },
    }),
    says: { field: /schedule\.days\[1\]: /, value: re('"funday"'), allowed: /use mon, tue, wed, thu, fri, sat or sun/ },
  },
  // query parameters
  {
    name: 'rows limit=-1',
    entry: 'api',
    category: 'query',
    status: 400,
    request: (ctx) => ({ method: 'GET', path: `/api/connections/${ctx.connectionId}/rows?limit=-1` }),
    says: { field: field('limit'), value: re('"-1"'), allowed: /is less than 1, the least allowed/ },
  },
  {
    name: 'rows limit=abc',
    entry: 'api',
    category: 'query',
    status: 400,
    request: (ctx) => ({ method: 'GET', path: `/api/connections/${ctx.connectionId}/rows?limit=abc` }),
    says: { field: field('limit'), value: re('"abc"'), allowed: /is not a number/ },
  },
  {
    name: 'rows limit=2.5',
    entry: 'api',
    category: 'query',
    status: 400,
    request: (ctx) => ({ method: 'GET', path: `/api/connections/${ctx.connectionId}/rows?limit=2.5` }),
    says: { field: field('limit'), value: re('"2.5"'), allowed: /is not a whole number/ },
  },
  {
    name: 'rows status=bogus',
    entry: 'api',
    category: 'query',
    status: 400,
    request: (ctx) => ({ method: 'GET', path: `/api/connections/${ctx.connectionId}/rows?status=bogus` }),
    says: { field: field('status'), value: re('"bogus"'), allowed: /use one of: pending, sent, failed, skipped/ },
  },
  {
    name: 'run rows limit=abc',
    entry: 'api',
    category: 'query',
    status: 400,
    request: (ctx) => ({ method: 'GET', path: `/api/runs/${ctx.runId}?limit=abc` }),
    says: { field: field('limit'), value: re('"abc"'), allowed: /is not a number/ },
  },
  {
    name: 'an address with a broken %-escape',
    entry: 'api',
    category: 'query',
    status: 400,
    request: () => ({ method: 'GET', path: '/api/runs/%ZZ' }),
    says: { field: /the address/, value: re('"/api/runs/%ZZ"'), allowed: /a % must start an escape such as %20/ },
  },
  {
    name: 'run rows offset=-5',
    entry: 'api',
    category: 'query',
    status: 400,
    request: (ctx) => ({ method: 'GET', path: `/api/runs/${ctx.runId}?offset=-5` }),
    says: { field: field('offset'), value: re('"-5"'), allowed: /is less than 0, the least allowed/ },
  },
  // preview and test send
  {
    name: 'preview limit as text',
    entry: 'api',
    category: 'api fields',
    status: 400,
    request: (ctx) => ({ method: 'POST', path: `/api/connections/${ctx.connectionId}/preview`, json: { limit: 'ten' } }),
    says: { field: field('limit'), value: re('"ten"'), allowed: /is not a number/ },
  },
  {
    name: 'preview limit 11',
    entry: 'api',
    category: 'api fields',
    status: 400,
    request: (ctx) => ({ method: 'POST', path: `/api/connections/${ctx.connectionId}/preview`, json: { limit: 11 } }),
    says: { field: field('limit'), value: /: "11" /, allowed: /is more than 10, the most allowed/ },
  },
  {
    name: 'preview rows with an object where text is expected',
    entry: 'api',
    category: 'nested JSON',
    status: 400,
    request: (ctx) => ({ method: 'POST', path: `/api/connections/${ctx.connectionId}/preview`, json: { rows: [{ Email: { a: 1 } }] } }),
    says: { field: field('rows.0.Email'), value: re('"{\\"a\\":1}"'), allowed: /is not text \(a string\)/ },
  },
  {
    name: 'preview of a row with a formula',
    entry: 'api',
    category: 'formula',
    status: 200,
    read: 'preview',
    request: (ctx) => ({
      method: 'POST',
      path: `/api/connections/${ctx.connectionId}/preview`,
      json: { rows: [{ Email: 'preview@example.com', Name: '=HYPERLINK("x")' }] },
    }),
    says: { field: field('name'), value: re('"=HYPERLINK(\\"x\\")"'), allowed: /looks like a spreadsheet formula/ },
  },
  {
    name: 'test send of a row with a bad email',
    entry: 'api',
    category: 'email',
    status: 422,
    request: (ctx) => ({
      method: 'POST',
      path: `/api/connections/${ctx.connectionId}/test`,
      json: { row: { Email: 'ada@@example.com', Name: 'Ada' } },
    }),
    says: { field: field('email'), value: re('"ada@@example.com"'), allowed: /it has 2 @ signs/ },
  },
  {
    name: 'test send of a row with a NUL',
    entry: 'api',
    category: 'control characters',
    status: 422,
    request: (ctx) => ({
      method: 'POST',
      path: `/api/connections/${ctx.connectionId}/test`,
      json: { row: { Email: 'ada\u0000@example.com', Name: 'Ada' } },
    }),
    says: { field: field('email'), value: re('"ada\\u0000@example.com"'), allowed: /U\+0000 \(NUL\)/ },
  },
  // accounts and sessions
  {
    name: 'account with a publishable key',
    entry: 'api',
    category: 'api fields',
    status: 400,
    request: () => ({ method: 'POST', path: '/api/accounts', json: { name: 'Shop', secretKey: 'pk_test_51abcdefghijklmnop' } }),
    secret: 'pk_test_51abcdefghijklmnop',
    says: { field: field('secretKey'), allowed: /use a secret key \(sk_…\) or a restricted key \(rk_…\)/ },
  },
  {
    name: 'account with a key of 600 characters',
    entry: 'api',
    category: 'length',
    status: 400,
    request: () => ({ method: 'POST', path: '/api/accounts', json: { name: 'Shop', secretKey: `sk_test_${'s'.repeat(592)}` } }),
    secret: `sk_test_${'s'.repeat(592)}`,
    says: { field: field('secretKey'), allowed: /is 600 characters long; at most 500 are allowed/ },
  },
  {
    name: 'account name that is a number',
    entry: 'api',
    category: 'api fields',
    status: 400,
    request: () => ({ method: 'POST', path: '/api/accounts', json: { type: 'stripe', name: 42, secretKey: 'sk_test_51abcdefghijklmnop' } }),
    says: { field: field('name'), value: /: "42" /, allowed: /is not text \(a string\)/ },
  },
  {
    name: 'owner setup with an email with a space',
    entry: 'api',
    category: 'email',
    status: 400,
    request: () => apiAuthless('/api/session/setup', { email: 'owner @example.com', password: 'correct horse battery' }),
    says: { field: field('email'), value: re('"owner @example.com"'), allowed: /use one such as owner@example\.com/ },
  },
  {
    name: 'login with a password of 300 characters',
    entry: 'api',
    category: 'length',
    status: 400,
    request: () => apiAuthless('/api/session/login', { email: 'owner@example.com', password: 'p'.repeat(300) }),
    secret: 'p'.repeat(300),
    says: { field: field('password'), allowed: /must be at most 200 characters/ },
  },
  // the request itself
  {
    name: 'API body as text/plain',
    entry: 'api',
    category: 'content type',
    status: 415,
    request: (ctx) => ({
      ...connection(ctx),
      json: undefined,
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify(connection(ctx).json),
    }),
    says: { field: /Content-Type/, value: /"text\/plain"/, allowed: /is not accepted; send application\/json$/ },
  },
  {
    name: 'API body as multipart/form-data',
    entry: 'api',
    category: 'content type',
    status: 415,
    request: () => ({
      method: 'POST',
      path: '/api/accounts',
      headers: { 'content-type': 'multipart/form-data; boundary=b' },
      body: '--b--\r\n',
    }),
    says: { field: /Content-Type/, value: /"multipart\/form-data; boundary=b"/, allowed: /send application\/json$/ },
  },
  {
    name: 'API body as application/xml',
    entry: 'api',
    category: 'content type',
    status: 415,
    request: () => ({ method: 'POST', path: '/api/accounts', headers: { 'content-type': 'application/xml' }, body: '<account/>' }),
    says: { field: /Content-Type/, value: /"application\/xml"/, allowed: /send application\/json$/ },
  },
  {
    name: 'API body as a form',
    entry: 'api',
    category: 'content type',
    status: 415,
    request: () => ({
      method: 'POST',
      path: '/api/accounts',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=Shop',
    }),
    says: { field: /Content-Type/, value: /"application\/x-www-form-urlencoded"/, allowed: /send application\/json$/ },
  },
  {
    name: 'API body above 1 MB',
    entry: 'api',
    category: 'body',
    status: 413,
    request: (ctx) => connection(ctx, { source: { type: 'csv', content: `Email\n${'a@example.com\n'.repeat(90_000)}` } }),
    says: { field: /the body is too large/, value: /: \d{7} bytes/, allowed: /at most 1048576 bytes are accepted/ },
  },
  {
    name: 'API body shorter than its Content-Length',
    entry: 'api',
    category: 'body',
    status: 400,
    request: () => ({ method: 'POST', path: '/api/accounts', headers: jsonType, body: '{"name": "Sho', declaredLength: 64 }),
    says: { field: /Content-Length/, value: /\(64 bytes\)/, allowed: /send the whole body/ },
  },
  {
    name: 'API body that is not UTF-8',
    entry: 'api',
    category: 'body',
    status: 400,
    request: () => ({
      method: 'POST',
      path: '/api/accounts',
      headers: jsonType,
      body: Uint8Array.from([...Buffer.from('{"name": "Caf'), 0xe9, ...Buffer.from('"}')]),
    }),
    says: { field: /the body is not UTF-8 text/, value: /byte 14 \(0xE9/, allowed: /send the body encoded as UTF-8/ },
  },
  {
    name: 'API body with __proto__',
    entry: 'api',
    category: 'nested JSON',
    status: 400,
    request: () => ({
      method: 'POST',
      path: '/api/accounts',
      headers: jsonType,
      body: '{"name": "Shop", "secretKey": "sk_test_51abcdefghijklmnop", "x": {"__proto__": {"admin": true}}}',
    }),
    says: { field: /a field named "__proto__"/, value: /\(at "x\.__proto__"\)/, allowed: /rename the field/ },
  },
  {
    name: 'API body nested 100,000 levels',
    entry: 'api',
    category: 'nested JSON',
    status: 400,
    request: () => ({
      method: 'POST',
      path: '/api/accounts',
      headers: jsonType,
      body: `{"name": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    }),
    says: { field: /the body/, value: /is nested 100001 levels deep/, allowed: /at most 64 levels are accepted/ },
  },
  {
    name: 'API body that is a JSON string',
    entry: 'api',
    category: 'api fields',
    status: 400,
    request: () => ({ method: 'POST', path: '/api/accounts', json: 'Shop' }),
    says: { field: /\(body\): /, value: re('"Shop"'), allowed: /is not an object/ },
  },
];

export const corpus: readonly BadInput[] = [...csvRows, ...csvFiles, ...webhookRows, ...webhookPosts, ...apiCases];

export const nearMisses: readonly NearMiss[] = [
  {
    name: 'an international phone number',
    fixture: 'customer',
    row: { Phone: '+380 44 123 4567' },
    sent: { path: 'phone', value: '+380 44 123 4567' },
  },
  {
    name: 'a phone number with hyphens',
    fixture: 'customer',
    row: { Phone: '+1-555-123-4567' },
    sent: { path: 'phone', value: '+1-555-123-4567' },
  },
  { name: 'a name starting with @', fixture: 'customer', row: { Name: '@ada_l' }, sent: { path: 'name', value: '@ada_l' } },
  {
    name: 'a description starting with a dash',
    fixture: 'customer',
    row: { Description: '- shipping (2 days)' },
    sent: { path: 'description', value: '- shipping (2 days)' },
  },
  {
    name: 'a description with line breaks and a tab',
    fixture: 'customer',
    row: { Description: 'line 1\nline 2\tend' },
    sent: { path: 'description', value: 'line 1\nline 2\tend' },
  },
  { name: 'a name in Arabic with an emoji', fixture: 'customer', row: { Name: 'عائشة 👩‍💻' }, sent: { path: 'name', value: 'عائشة 👩‍💻' } },
  { name: 'a country in lower case', fixture: 'customer', row: { Country: 'ua' }, sent: { path: 'address.country', value: 'UA' } },
  {
    name: 'an email with a plus tag',
    fixture: 'customer',
    row: { Email: 'ada+near-miss@example.com' },
    sent: { path: 'email', value: 'ada+near-miss@example.com' },
  },
  { name: 'a negative amount (a credit)', fixture: 'item', row: { Amount: '-3' }, sent: { path: 'amount', value: -300 } },
  { name: 'a zero amount', fixture: 'item', row: { Amount: '0' }, sent: { path: 'amount', value: 0 } },
  { name: 'a currency in mixed case', fixture: 'item', row: { Currency: 'UsD', Amount: '7' }, sent: { path: 'currency', value: 'usd' } },
  {
    name: 'the largest amount Stripe accepts',
    fixture: 'item',
    row: { Amount: '999,999.99' },
    sent: { path: 'amount', value: 99_999_999 },
  },
];
