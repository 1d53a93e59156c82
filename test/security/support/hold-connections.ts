import net from 'node:net';

/**
 * A crowd of idle clients, run as its own process by slow-clients.stress.ts (one process can hold
 * only so many sockets): it opens COUNT connections to 127.0.0.1:PORT that send nothing and holds
 * them for SECONDS. With RECONNECT_MS (Default: 0, never) it opens a new one that long after each
 * is closed — a flood of new connections, which is the firewall's job rather than Sluice's (see
 * slow-clients.stress.ts). It prints `ready` once COUNT have been opened, and at the end one JSON
 * line of counts.
 */

const port = Number(process.env.PORT);
const count = Number(process.env.COUNT);
const until = Date.now() + Number(process.env.SECONDS) * 1000;
const reconnectMs = Number(process.env.RECONNECT_MS ?? 0);
/** Connects in progress at most, so that the crowd builds up without a burst of failed connects. */
const PENDING_MAX = 200;

if (port <= 0 || port >= 65536 || count <= 0) throw new Error('PORT and COUNT are required');
const stats = { opened: 0, closedByServer: 0, failed: 0, open: 0, maxOpen: 0 };
let pending = 0;
const waiting: (() => void)[] = [];
const sockets = new Set<net.Socket>();

function open(): void {
  if (Date.now() > until) return;
  if (pending >= PENDING_MAX) {
    waiting.push(open);
    return;
  }
  pending++;
  let connected = false;
  const socket = net.connect(port, '127.0.0.1');
  sockets.add(socket);
  const settle = () => {
    pending--;
    waiting.shift()?.();
  };
  socket.once('connect', () => {
    connected = true;
    stats.opened++;
    stats.open++;
    stats.maxOpen = Math.max(stats.maxOpen, stats.open);
    // Said once, when the first COUNT are open (the caller measures from then on).
    if (stats.opened === count) process.stdout.write('ready\n');
    settle();
  });
  socket.on('error', () => {});
  socket.once('close', () => {
    sockets.delete(socket);
    if (connected) {
      stats.open--;
      stats.closedByServer++;
    } else {
      stats.failed++;
      settle();
    }
    if (reconnectMs > 0) setTimeout(open, reconnectMs).unref();
  });
}

for (let i = 0; i < count; i++) open();
const report = setInterval(() => {
  if (Date.now() <= until) return;
  clearInterval(report);
  for (const socket of sockets) socket.destroy();
  process.stdout.write(`${JSON.stringify(stats)}\n`);
  process.exit(0);
}, 200);
