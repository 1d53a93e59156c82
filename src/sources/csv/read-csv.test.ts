import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { SourceRow } from '../source-row.js';
import { columnNames, guessDelimiter, readCsv, readCsvSample, type ReadCsvOptions } from './read-csv.js';
import type { CsvSettings } from './settings.js';

async function read(settings: CsvSettings, opts?: ReadCsvOptions): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for await (const row of readCsv(settings, opts)) rows.push(row);
  return rows;
}

const MB = 1024 * 1024;

/** A full garbage collection, so that the memory check starts from live data only. */
function settleHeap(): void {
  setFlagsFromString('--expose-gc');
  const gc: unknown = runInNewContext('gc');
  if (typeof gc === 'function') gc();
}

const csv = (content: string, more: Partial<CsvSettings> = {}): CsvSettings => ({ type: 'csv', content, ...more });

/** Keys by a field that identifies the row in a test file. */
async function keysBy(content: string, field: string): Promise<Map<string, string>> {
  const rows = await read(csv(content));
  return new Map(rows.map((row) => [row.fields[field] ?? '', row.key]));
}

describe('readCsv: parsing', () => {
  it('reads quoted delimiters, line breaks and doubled quotes', async () => {
    const rows = await read(csv('Name,Note,Amount\n"Lee, Ann","two\nlines",12.50\n"Bob ""Bobby"" Ray",,3\n'));
    assert.deepEqual(
      rows.map((r) => [r.fields, r.line]),
      [
        [{ Name: 'Lee, Ann', Note: 'two\nlines', Amount: '12.50' }, 2],
        [{ Name: 'Bob "Bobby" Ray', Note: '', Amount: '3' }, 4],
      ],
    );
  });

  it('handles a BOM and CRLF line breaks, also inside quotes', async () => {
    const rows = await read(csv('\ufeffName,Email\r\nAnn,"a@x.com\r\nsecond line"\r\nBob,b@x.com\r\n'));
    assert.deepEqual(Object.keys(rows[0]?.fields ?? {}), ['Name', 'Email']);
    assert.deepEqual(
      rows.map((r) => [r.fields.Name, r.fields.Email, r.line]),
      [
        ['Ann', 'a@x.com\r\nsecond line', 2],
        ['Bob', 'b@x.com', 4],
      ],
    );
  });

  it('detects a semicolon delimiter and leaves decimal commas alone', async () => {
    const rows = await read(csv('Name;Amount;Note\nAnn;12,50;a, b\nBob;1 234,50;\n'));
    assert.deepEqual(
      rows.map((r) => r.fields),
      [
        { Name: 'Ann', Amount: '12,50', Note: 'a, b' },
        { Name: 'Bob', Amount: '1 234,50', Note: '' },
      ],
    );
  });

  it('guesses the delimiter from the header after leading blank lines', async () => {
    assert.deepEqual(await read(csv('\r\n  \nA;B\n1;2,5\n')), [
      { key: (await read(csv('A;B\n1;2,5\n')))[0]?.key, fields: { A: '1', B: '2,5' }, line: 4 },
    ]);
  });

  it('detects tab and pipe delimiters, and uses the one set over the guess', async () => {
    assert.deepEqual((await read(csv('a\tb\n1\t2\n')))[0]?.fields, { a: '1', b: '2' });
    assert.deepEqual((await read(csv('a|b\n1|2\n')))[0]?.fields, { a: '1', b: '2' });
    assert.deepEqual((await read(csv('a;b,c\n1;2,3\n', { delimiter: ',' })))[0]?.fields, { 'a;b': '1;2', c: '3' });
  });

  const guesses: Array<[string, string]> = [
    ['a,b,c', ','],
    ['a;b;c', ';'],
    ['a\tb', '\t'],
    ['a|b|c', '|'],
    ['name', ','],
    ['"a;b;c",d', ','],
    ['a;b,c;d', ';'],
    ['a,b;c', ','],
  ];
  for (const [line, delimiter] of guesses) {
    it(`guesses ${JSON.stringify(delimiter)} for ${JSON.stringify(line)}`, () => assert.equal(guessDelimiter(line), delimiter));
  }

  it('names columns: trimmed, empty ones by position, repeated ones numbered', () => {
    assert.deepEqual(columnNames([' Name ', '', 'Email', 'Email', '', 'Email', 'Email (2)']), [
      'Name',
      'Column 2',
      'Email',
      'Email (2)',
      'Column 5',
      'Email (3)',
      'Email (2) (2)',
    ]);
  });

  it('skips empty lines and lines with only delimiters, keeping line numbers', async () => {
    const rows = await read(csv('\n\nA,B\n\n1,2\n,\n  ,  \n3,4\n\n'));
    assert.deepEqual(
      rows.map((r) => [r.fields.A, r.line]),
      [
        ['1', 5],
        ['3', 8],
      ],
    );
  });

  it('pads short rows and refuses long ones, ignoring trailing empty values', async () => {
    const rows = await read(csv('A,B,C,D\n1,2\n1,2,3,4,5\n1,2,3,4,,\n'));
    assert.deepEqual(rows[0], { key: rows[0]?.key, fields: { A: '1', B: '2', C: '', D: '' }, line: 2 });
    assert.equal(
      rows[1]?.error,
      'line 3 has 5 values but the header has 4 columns (extra: "5"); put a value that holds the delimiter between double quotes',
    );
    assert.deepEqual(rows[1]?.fields, { A: '1', B: '2', C: '3', D: '4' });
    assert.equal(rows[2]?.error, undefined);
  });

  it('reports the line of the 7th line when it has too many values', async () => {
    const rows = await read(csv('A,B,C,D\n1,2,3,4\n\n"x\ny",2,3,4\n5,6,7,8\n9,10,11,12,13\n'));
    assert.deepEqual(
      rows.filter((r) => r.error !== undefined).map((r) => r.error),
      ['line 7 has 5 values but the header has 4 columns (extra: "13"); put a value that holds the delimiter between double quotes'],
    );
  });

  it('keeps a stray quote inside an unquoted value', async () => {
    assert.deepEqual((await read(csv('Item,Size\nScreen,15" wide\n')))[0]?.fields, { Item: 'Screen', Size: '15" wide' });
  });

  it('ends the read at a quote that is never closed, naming the line', async () => {
    const rows: SourceRow[] = [];
    await assert.rejects(
      async () => {
        for await (const row of readCsv(csv('A,B\r\n1,"x\r\ny"\r\n3,4\r\n5,"open\r\n6,7\r\n'))) rows.push(row);
      },
      {
        message:
          'CSV content: the row starting on line 5 has a quote that is never closed; end a quoted value with ", and write a quote inside one as ""',
      },
    );
  });

  it('samples the first rows, and only the header with a limit of 0', async () => {
    const content = `A,B\n${Array.from({ length: 50 }, (_, i) => `${i},x`).join('\n')}\n`;
    const sample = await readCsvSample(csv(content), { limit: 2 });
    assert.deepEqual(sample.columns, ['A', 'B']);
    assert.deepEqual(
      sample.rows.map((r) => [r.fields.A, r.line]),
      [
        ['0', 2],
        ['1', 3],
      ],
    );
    assert.deepEqual(await readCsvSample(csv(content), { limit: 0 }), { columns: ['A', 'B'], rows: [] });
  });

  it('reads a file with only a header, and an empty file', async () => {
    assert.deepEqual(await readCsvSample(csv('A,B\n'), { limit: 5 }), { columns: ['A', 'B'], rows: [] });
    assert.deepEqual(await readCsvSample(csv(''), { limit: 5 }), { columns: [], rows: [] });
  });

  it('gives fields as own properties whatever the header says', async () => {
    const rows = await read(csv('__proto__,constructor\nx,y\n'));
    assert.deepEqual(Object.keys(rows[0]?.fields ?? {}), ['__proto__', 'constructor']);
    assert.equal(Object.getPrototypeOf(rows[0]?.fields), Object.prototype);
  });
});

describe('readCsv: row keys', () => {
  it("uses the key column's trimmed value", async () => {
    const rows = await read(csv('Order,Amount\n A-17 ,12\nA-18,13\n', { keyColumn: 'Order' }));
    assert.deepEqual(
      rows.map((r) => [r.key, r.error]),
      [
        ['A-17', undefined],
        ['A-18', undefined],
      ],
    );
  });

  it('matches the key column like a template field', async () => {
    const rows = await read(csv('Order  #,Amount\nA-17,12\n', { keyColumn: 'order #' }));
    assert.equal(rows[0]?.key, 'A-17');
  });

  it('refuses later rows that repeat a key, and rows without one', async () => {
    const rows = await read(csv('Order,Amount\nA-16,1\nA-17,12\n,13\nA-17,14\n A-17,15\n', { keyColumn: 'Order' }));
    assert.deepEqual(
      rows.map((r) => r.error),
      [
        undefined,
        undefined,
        'line 4 has no value in the key column "Order"',
        'duplicate key "A-17" (first on line 3)',
        'duplicate key "A-17" (first on line 3)',
      ],
    );
    assert.equal(rows[1]?.key, 'A-17');
    for (const row of rows.slice(2)) assert.match(row.key, /^h:/);
    assert.equal(new Set(rows.map((r) => r.key)).size, rows.length);
  });

  it('throws when the key column is not in the header', async () => {
    await assert.rejects(read(csv('A,B\n1,2\n', { keyColumn: 'Order' })), {
      message: 'keyColumn "Order" is not a column; columns are: A, B',
    });
  });

  const base = ['Name,Email,Amount', 'Ann,ann@x.com,10', 'Bob,bob@x.com,20', 'Cid,cid@x.com,30', 'Dee,dee@x.com,40'];
  const variants: Array<[string, string[]]> = [
    ['a row inserted', [base[0], base[1], 'Eve,eve@x.com,50', base[2], base[3], base[4]].map(String)],
    ['a row deleted', [base[0], base[1], base[3], base[4]].map(String)],
    ['rows reordered', [base[0], base[4], base[2], base[1], base[3]].map(String)],
    [
      'an empty column added',
      ['Name,Notes,Email,Amount', 'Ann,,ann@x.com,10', 'Bob,,bob@x.com,20', 'Cid,,cid@x.com,30', 'Dee,,dee@x.com,40'],
    ],
    ['columns reordered', ['Amount,Name,Email', '10,Ann,ann@x.com', '20,Bob,bob@x.com', '30,Cid,cid@x.com', '40,Dee,dee@x.com']],
    ['a semicolon delimiter and CRLF', base.map((line) => line.replaceAll(',', ';'))],
  ];
  for (const [name, lines] of variants) {
    it(`keeps content keys with ${name}`, async () => {
      const before = await keysBy(`${base.join('\n')}\n`, 'Name');
      const afterChange = await keysBy(`${lines.join(name.includes('CRLF') ? '\r\n' : '\n')}\n`, 'Name');
      for (const [who, key] of before) {
        if (afterChange.has(who)) assert.equal(afterChange.get(who), key, who);
      }
      assert.ok([...afterChange.keys()].filter((who) => before.has(who)).length >= 3);
    });
  }

  it('numbers identical rows, stably', async () => {
    const first = await read(csv('Item,Qty\nPen,1\nPen,1\nCup,2\nPen,1\n'));
    const keys = first.map((r) => r.key);
    const pen = keys[0] ?? '';
    assert.match(pen, /^h:[A-Za-z0-9_-]{22}$/);
    assert.deepEqual(keys, [pen, `${pen}#2`, keys[2], `${pen}#3`]);
    const second = await read(csv('Item,Qty\nCup,2\nPen,1\nBook,3\nPen,1\nPen,1\n'));
    assert.deepEqual(
      second.map((r) => r.key),
      [keys[2], pen, second[2]?.key, `${pen}#2`, `${pen}#3`],
    );
  });
});

describe('readCsv: files', () => {
  let dir = '';
  let files: ReadCsvOptions = {};
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-csv-'));
    // The temp folder is the import folder; the data dir is one that does not hold it.
    files = { importFolder: { dir, dataDir: join(dir, '.data') } };
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads a file of the import folder by its name, or by its absolute path', async () => {
    await writeFile(join(dir, 'orders.csv'), 'Order;Amount\r\nA-1;12,50\r\n');
    const expected = [{ key: 'A-1', fields: { Order: 'A-1', Amount: '12,50' }, line: 2 }];
    assert.deepEqual(await read({ type: 'csv', path: 'orders.csv', keyColumn: 'Order' }, files), expected);
    assert.deepEqual(await read({ type: 'csv', path: join(dir, 'orders.csv'), keyColumn: 'Order' }, files), expected);
  });

  it('reads no path without an import folder, and none outside it', async () => {
    await assert.rejects(read({ type: 'csv', path: 'orders.csv' }), {
      message: 'CSV file "orders.csv" cannot be read: no import folder is set to read files from',
    });
    await assert.rejects(read({ type: 'csv', path: '/etc/hostname' }, files), {
      message: `CSV file "/etc/hostname" is outside the import folder ${dir}; put the file there and give its name, such as "hostname"`,
    });
  });

  it('says which file is missing', async () => {
    await assert.rejects(read({ type: 'csv', path: 'missing.csv' }, files), {
      message: `CSV file "missing.csv" was not found in the import folder ${dir}`,
    });
  });

  it('refuses a folder and a file over the limit', async () => {
    await assert.rejects(read({ type: 'csv', path: dir }, files), {
      message: `CSV file ${JSON.stringify(dir)} is a folder, not a file; give the name of a CSV file in the import folder ${dir}, such as "orders.csv"`,
    });
    await writeFile(join(dir, 'big.csv'), 'A\n1\n2\n3\n');
    await assert.rejects(read({ type: 'csv', path: 'big.csv' }, { ...files, maxBytes: 4 }), {
      message: 'CSV file "big.csv" is larger than 4 bytes, the most Sluice reads from one file',
    });
  });

  it('refuses content over the limit', async () => {
    await assert.rejects(read(csv('A\n1\n'), { maxBytes: 3 }), {
      message: 'CSV content is larger than 3 bytes, the most Sluice reads from one file',
    });
  });

  it('reads 100,000 rows with flat memory', async (t) => {
    const path = join(dir, 'large.csv');
    const out = createWriteStream(path);
    out.write('Order,Email,Name,Amount,Note\n');
    for (let i = 0; i < 100_000; i++) {
      if (!out.write(`A-${i},user${i}@example.com,"Name ${i}",${i % 1000}.${i % 100},"note, with comma ${i % 7}"\n`))
        await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');

    settleHeap();
    const start = process.memoryUsage().rss;
    let peak = start;
    let count = 0;
    let liveAtHalf = 0;
    let liveGrowth = 0;
    const keys = new Set<string>();
    for await (const row of readCsv({ type: 'csv', path }, files)) {
      count++;
      if (count % 20_000 === 0) keys.add(row.key);
      if (row.error !== undefined) assert.fail(row.error);
      if (count % 1000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
      if (count === 50_000 || count === 100_000) {
        // What the read keeps alive (not the garbage V8 has yet to collect) must not grow with rows.
        settleHeap();
        const { heapUsed, arrayBuffers } = process.memoryUsage();
        if (count === 50_000) liveAtHalf = heapUsed + arrayBuffers;
        else liveGrowth = heapUsed + arrayBuffers - liveAtHalf;
      }
    }
    assert.equal(count, 100_000);
    assert.equal(keys.size, 5);
    const grown = (peak - start) / MB;
    t.diagnostic(`RSS grew by ${grown.toFixed(1)} MB; live memory by ${(liveGrowth / MB).toFixed(1)} MB over the second 50,000 rows`);
    assert.ok(grown < 50, `RSS grew by ${grown.toFixed(1)} MB`);
    assert.ok(liveGrowth < 10 * MB, `live memory grew by ${(liveGrowth / MB).toFixed(1)} MB`);
  });

  it('stops on an aborted signal', async () => {
    const controller = new AbortController();
    const rows = Array.from({ length: 1000 }, (_, i) => `${i}`).join('\n');
    let seen = 0;
    await assert.rejects(
      async () => {
        for await (const _row of readCsv(csv(`N\n${rows}\n`), { signal: controller.signal })) {
          if (++seen === 3) controller.abort();
        }
      },
      { name: 'AbortError' },
    );
    assert.equal(seen, 3);
  });
});

describe('readCsv: URLs', () => {
  // The test server is on loopback, which only SLUICE_ALLOW_PRIVATE_URLS=1 lets a URL reach.
  const local = { outbound: { allowPrivate: true } } as const;
  let server: Server;
  let base = '';
  const requests: IncomingMessage[] = [];
  let endlessClosed: Promise<void> = Promise.resolve();

  before(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      requests.push(req);
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      if (path === '/orders.csv') {
        res.writeHead(200, { 'content-type': 'text/csv; charset=utf-8' });
        res.end('Order,Amount\nA-1,12.50\nA-2,3\n');
      } else if (path === '/page') {
        res.writeHead(200, { 'content-type': 'text/html' });
        res.end('<html>Sign in</html>');
      } else if (path === '/big.csv') {
        res.writeHead(200, { 'content-type': 'text/csv', 'content-length': '1000' });
        res.end('A\n'.repeat(500));
      } else if (path === '/endless.csv') {
        res.writeHead(200, { 'content-type': 'text/csv' });
        res.write('N\n');
        let i = 0;
        const timer = setInterval(() => res.write(`${i++}\n${i++}\n`), 5);
        endlessClosed = new Promise((resolve) => {
          res.on('close', () => {
            clearInterval(timer);
            resolve();
          });
        });
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end('no such file');
      }
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server.closeAllConnections();
    server.close();
    await once(server, 'close');
  });

  it('reads a URL', async () => {
    const rows = await read({ type: 'csv', url: `${base}/orders.csv`, keyColumn: 'Order' }, local);
    assert.deepEqual(
      rows.map((r) => [r.key, r.fields.Amount, r.line]),
      [
        ['A-1', '12.50', 2],
        ['A-2', '3', 3],
      ],
    );
  });

  it('says what a 404 was, without credentials or query string', async () => {
    const url = `http://user:s3cret@127.0.0.1:${new URL(base).port}/missing.csv?token=t0ken`;
    const error = await read({ type: 'csv', url }, local).then(
      () => assert.fail('expected an error'),
      (e: unknown) => e as Error,
    );
    assert.equal(error.message, `CSV URL ${base}/missing.csv answered HTTP 404 Not Found`);
    assert.doesNotMatch(error.message, /s3cret|t0ken|user/);
    const last = requests.at(-1);
    assert.equal(last?.headers.authorization, `Basic ${Buffer.from('user:s3cret').toString('base64')}`);
    assert.equal(last?.url, '/missing.csv?token=t0ken');
  });

  it('refuses an HTML page and a response over the limit', async () => {
    await assert.rejects(read({ type: 'csv', url: `${base}/page?x=1` }, local), {
      message: `CSV URL ${base}/page answered with an HTML page, not a CSV file; check that the address downloads the file itself`,
    });
    await assert.rejects(read({ type: 'csv', url: `${base}/big.csv` }, { ...local, maxBytes: 999 }), {
      message: `CSV URL ${base}/big.csv is larger than 999 bytes, the most Sluice reads from one file`,
    });
  });

  it('refuses loopback when no option allows it, without connecting', async () => {
    const before = requests.length;
    await assert.rejects(read({ type: 'csv', url: `${base}/orders.csv` }), {
      message: `CSV URL ${base}/orders.csv could not be read: this address is not allowed (127.0.0.1 is a loopback address; Sluice reads only public addresses unless its operator sets SLUICE_ALLOW_PRIVATE_URLS=1)`,
    });
    assert.equal(requests.length, before);
  });

  it('says when the server cannot be reached', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    await assert.rejects(read({ type: 'csv', url: `http://127.0.0.1:${port}/a.csv?key=secret` }, local), (e: Error) => {
      assert.equal(e.message, `CSV URL http://127.0.0.1:${port}/a.csv could not be read: no HTTP answer; check the address`);
      assert.doesNotMatch(e.message, /secret/);
      return true;
    });
  });

  it('samples the first rows of an endless response and hangs up', async () => {
    const sample = await readCsvSample({ type: 'csv', url: `${base}/endless.csv` }, { ...local, limit: 3 });
    assert.deepEqual(sample.columns, ['N']);
    assert.deepEqual(
      sample.rows.map((r) => r.fields.N),
      ['0', '1', '2'],
    );
    await endlessClosed;
  });

  it('reads line breaks split between network chunks', async () => {
    const parts = ['A,B\r', '\n1,"x\r', '\ny"\r', '\n3,4\n5,6\r7,8'];
    const fakeFetch: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (const part of parts) controller.enqueue(new TextEncoder().encode(part));
            controller.close();
          },
        }),
      );
    const rows = await read({ type: 'csv', url: 'https://example.com/a.csv' }, { fetch: fakeFetch });
    assert.deepEqual(
      rows.map((r) => [r.fields.A, r.fields.B, r.line]),
      [
        ['1', 'x\r\ny', 2],
        ['3', '4', 4],
        ['5', '6', 5],
        ['7', '8', 6],
      ],
    );
  });

  it('uses the fetch it is given', async () => {
    const calls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      calls.push(String(input));
      return new Response('A,B\n1,2\n', { headers: { 'content-type': 'text/csv' } });
    };
    const rows = await read({ type: 'csv', url: 'https://example.com/a.csv?x=1' }, { fetch: fakeFetch });
    assert.deepEqual(calls, ['https://example.com/a.csv?x=1']);
    assert.deepEqual(rows[0]?.fields, { A: '1', B: '2' });
  });
});
