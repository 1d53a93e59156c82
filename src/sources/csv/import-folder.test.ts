import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { listImportFiles, openImportFile, openResolved, resolveImportPath, type ImportFolder } from './import-folder.js';

let root = '';
let folder: ImportFolder;
const outsideMsg = (dir: string, name: string) =>
  `is outside the import folder ${dir}; put the file there and give its name, such as ${JSON.stringify(name)}`;

before(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'sluice-import-folder-')));
  const dataDir = path.join(root, 'data');
  folder = { dir: path.join(dataDir, 'imports'), dataDir };
  fs.mkdirSync(path.join(folder.dir, '2026'), { recursive: true });
  fs.writeFileSync(path.join(folder.dir, 'orders.csv'), 'A\n1\n');
  fs.writeFileSync(path.join(folder.dir, '2026', 'march.csv'), 'A\n2\n');
  fs.writeFileSync(path.join(folder.dir, '.hidden.csv'), 'A\n');
  fs.writeFileSync(path.join(dataDir, 'encryption.key'), 'secret\n');
  fs.writeFileSync(path.join(root, 'outside.csv'), 'SECRET\n');
  fs.symlinkSync(path.join(root, 'outside.csv'), path.join(folder.dir, 'out-link.csv'));
  fs.symlinkSync('orders.csv', path.join(folder.dir, 'latest.csv'));
  fs.symlinkSync(root, path.join(folder.dir, 'up'));
  execFileSync('mkfifo', [path.join(folder.dir, 'pipe.csv')]);
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

describe('resolveImportPath', () => {
  it('takes a name, a name in a subfolder, and an absolute path inside, and stores the name', async () => {
    assert.deepEqual(await resolveImportPath(folder, 'orders.csv'), { name: 'orders.csv', absolute: path.join(folder.dir, 'orders.csv') });
    assert.equal((await resolveImportPath(folder, '2026/march.csv')).name, '2026/march.csv');
    assert.equal((await resolveImportPath(folder, './2026//march.csv')).name, '2026/march.csv');
    assert.equal((await resolveImportPath(folder, path.join(folder.dir, '2026', 'march.csv'))).name, '2026/march.csv');
    assert.equal((await resolveImportPath(folder, 'latest.csv')).name, 'latest.csv', 'a link kept by its own name');
    assert.equal((await resolveImportPath(folder, 'later.csv')).name, 'later.csv', 'a file not there yet');
  });

  const refused: Array<[string, string, (dir: string) => string]> = [
    ['an absolute path elsewhere', '/etc/passwd', (d) => outsideMsg(d, 'passwd')],
    ['..', '../../etc/passwd', (d) => outsideMsg(d, 'passwd')],
    ['/proc', '/proc/self/environ', (d) => outsideMsg(d, 'environ')],
    ['a link out of the folder', 'out-link.csv', (d) => outsideMsg(d, 'out-link.csv')],
    ['a path through a linked parent', 'up/outside.csv', (d) => outsideMsg(d, 'outside.csv')],
    ['the data dir', '../encryption.key', (d) => outsideMsg(d, 'encryption.key')],
    [
      'the folder itself',
      '.',
      (d) => `is a folder, not a file; give the name of a CSV file in the import folder ${d}, such as "orders.csv"`,
    ],
    ['a subfolder', '2026', (d) => `is a folder, not a file; give the name of a CSV file in the import folder ${d}, such as "orders.csv"`],
    [
      'a FIFO',
      'pipe.csv',
      (d) => `is not a regular file (a pipe, socket or device); give the name of a CSV file in the import folder ${d}`,
    ],
  ];
  for (const [what, given, problem] of refused) {
    it(`refuses ${what}`, async () => {
      await assert.rejects(resolveImportPath(folder, given), { name: 'ImportPathRefused', problem: problem(folder.dir) });
      await assert.rejects(openImportFile(folder, given), { name: 'ImportPathRefused', problem: problem(folder.dir) });
    });
  }

  it("refuses the data dir's files when the import folder contains the data dir", async () => {
    const wide: ImportFolder = { dir: root, dataDir: folder.dataDir };
    const problem =
      `is in Sluice's data dir ${folder.dataDir}, which holds its database and keys and is never read as a source; ` +
      `put the file in the import folder ${root} and give its name, such as "orders.csv"`;
    await assert.rejects(resolveImportPath(wide, 'data/encryption.key'), { problem });
    await assert.rejects(openImportFile(wide, path.join(folder.dataDir, 'encryption.key')), { problem });
    await assert.rejects(resolveImportPath(wide, 'data/imports/orders.csv'), { problem });
    assert.equal((await resolveImportPath(wide, 'outside.csv')).name, 'outside.csv');
    const everything: ImportFolder = { dir: '/', dataDir: folder.dataDir };
    await assert.rejects(openImportFile(everything, path.join(folder.dataDir, 'encryption.key')), { name: 'ImportPathRefused' });
  });

  it('refuses /proc, /sys and /dev even when the import folder is /', async () => {
    const everything: ImportFolder = { dir: '/', dataDir: folder.dataDir };
    const problem = (tree: string) =>
      `is in ${tree}, which is never read as a source; put the file in the import folder / and give its name, such as "orders.csv"`;
    for (const [given, tree] of [
      ['/proc/self/environ', '/proc'],
      ['proc/self/environ', '/proc'],
      ['/sys/kernel/hostname', '/sys'],
      ['/dev/zero', '/dev'],
    ] as const) {
      await assert.rejects(resolveImportPath(everything, given), { problem: problem(tree) }, given);
      await assert.rejects(openImportFile(everything, given), { problem: problem(tree) }, given);
    }
  });

  it("refuses a hard link to one of the data dir's files", async (t) => {
    const link = path.join(folder.dir, 'key.csv');
    try {
      fs.linkSync(path.join(folder.dataDir, 'encryption.key'), link);
    } catch {
      t.skip('hard links are not possible here');
      return;
    }
    try {
      await assert.rejects(openImportFile(folder, 'key.csv'), { name: 'ImportPathRefused', message: /is in Sluice's data dir/ });
    } finally {
      fs.rmSync(link);
    }
  });
});

describe('openImportFile', () => {
  it('opens a file in the folder, a subfolder, and through a link inside', async () => {
    for (const [name, text] of [
      ['orders.csv', 'A\n1\n'],
      ['2026/march.csv', 'A\n2\n'],
      ['latest.csv', 'A\n1\n'],
    ] as const) {
      const { handle, size } = await openImportFile(folder, name);
      try {
        assert.equal((await handle.readFile()).toString(), text);
        assert.equal(size, text.length);
      } finally {
        await handle.close();
      }
    }
  });
  it(
    'refuses on the opened descriptor alone, as after a swap behind the name check: a FIFO at once, a link out, a folder',
    { timeout: 10_000 },
    async () => {
      const at = (name: string) => path.join(folder.dir, name);
      await assert.rejects(openResolved(folder, 'pipe.csv', at('pipe.csv')), {
        problem: `is not a regular file (a pipe, socket or device); give the name of a CSV file in the import folder ${folder.dir}`,
      });
      await assert.rejects(openResolved(folder, 'out-link.csv', at('out-link.csv')), { problem: outsideMsg(folder.dir, 'out-link.csv') });
      await assert.rejects(openResolved(folder, 'up/outside.csv', at('up/outside.csv')), {
        problem: outsideMsg(folder.dir, 'outside.csv'),
      });
      await assert.rejects(openResolved(folder, '2026', at('2026')), { message: /is a folder, not a file/ });
      await assert.rejects(openResolved(folder, 'key', path.join(folder.dataDir, 'encryption.key')), {
        message: /is outside the import folder/,
      });
    },
  );

  it(
    'checks the file it opened, not only the name: a link swapped to the outside or to a FIFO between check and open is refused',
    { timeout: 20_000 },
    async (t) => {
      // A link that flips between a file inside, one outside and a FIFO, as fast as the thread pool
      // allows, while the file is opened again and again: whichever moment the open lands in, the
      // content read is the inside file's or the open is refused at once (a FIFO never hangs it);
      // never the outside file's.
      const swap = path.join(folder.dir, 'swap.csv');
      let flipping = true;
      const flipper = (async () => {
        for (let i = 0; flipping; i++) {
          const tmp = path.join(folder.dir, `.swap-${i % 3}`);
          await fs.promises.rm(tmp, { force: true });
          await fs.promises.symlink(['orders.csv', path.join(root, 'outside.csv'), 'pipe.csv'][i % 3] ?? '', tmp);
          await fs.promises.rename(tmp, swap);
        }
      })();
      let read = 0;
      let refused = 0;
      try {
        const until = Date.now() + 3000;
        while (Date.now() < until) {
          const opens = Array.from({ length: 8 }, async () => {
            try {
              const { handle } = await openImportFile(folder, 'swap.csv');
              try {
                assert.equal((await handle.readFile()).toString(), 'A\n1\n');
                read++;
              } finally {
                await handle.close();
              }
            } catch (error) {
              if ((error as Error).name !== 'ImportPathRefused' && (error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
              refused++;
            }
          });
          await Promise.all(opens);
        }
      } finally {
        flipping = false;
        await flipper;
        fs.rmSync(swap, { force: true });
      }
      t.diagnostic(`${read} opens read the inside file, ${refused} were refused`);
      assert.ok(read > 0 && refused > 0, `read ${read}, refused ${refused}`);
    },
  );
});

describe('listImportFiles', () => {
  it('lists regular files in the folder and its subfolders, leaving out hidden files, pipes and links out', async () => {
    const list = await listImportFiles(folder);
    assert.equal(list.folder, folder.dir);
    assert.equal(list.truncated, false);
    assert.deepEqual(
      list.files.map((f) => f.name),
      ['2026/march.csv', 'latest.csv', 'orders.csv'],
    );
    const orders = list.files.find((f) => f.name === 'orders.csv');
    assert.equal(orders?.size, 4);
    assert.match(orders?.modifiedAt ?? '', /^\d{4}-\d\d-\d\dT/);
  });

  it("never lists the data dir's files, even when the folder contains the data dir", async () => {
    const list = await listImportFiles({ dir: root, dataDir: folder.dataDir });
    assert.deepEqual(
      list.files.map((f) => f.name),
      ['outside.csv'],
    );
  });

  it('stops at the limit and says so', async () => {
    const list = await listImportFiles(folder, { maxFiles: 2 });
    assert.equal(list.files.length, 2);
    assert.equal(list.truncated, true);
  });

  it('lists a missing folder as empty', async () => {
    assert.deepEqual(await listImportFiles({ dir: path.join(root, 'nope'), dataDir: folder.dataDir }), {
      folder: path.join(root, 'nope'),
      files: [],
      truncated: false,
    });
  });
});
