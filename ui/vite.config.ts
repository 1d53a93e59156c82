import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const here = fileURLToPath(new URL('.', import.meta.url));

// The UI is built into dist/ui, which `sluice serve` serves beside the API; `npm run dev:ui` serves it
// with hot reload and sends /api to a Sluice on port 3000.
export default defineConfig({
  root: here,
  plugins: [react()],
  build: { outDir: fileURLToPath(new URL('../dist/ui', import.meta.url)), emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      // The API refuses cookie-authenticated changes from another origin; the dev server is one
      // (localhost:5173), so its proxy forwards requests as if they came from Sluice's own page.
      '/api': { target: 'http://127.0.0.1:3000', configure: (proxy) => proxy.on('proxyReq', (req) => req.removeHeader('origin')) },
      '/oauth': 'http://127.0.0.1:3000',
    },
  },
});
