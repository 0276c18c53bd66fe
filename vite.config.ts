import { fileURLToPath } from 'node:url';
import tailwindcss from '@tailwindcss/vite';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import * as contract from './src/shared/contract/index.js';

/**
 * The browser calls the contract's endpoints by method and path and never validates with their
 * zod schemas (the server checks requests and its own answers). So in the web build the contract
 * module is its wire description only — each endpoint's method, path and body kind, and
 * `fillPath` — and zod (about 30 kB gzip) stays on the server. Types still come from the real
 * contract; importing a schema as a value from the web app fails the build (a missing export).
 */
function contractWithoutSchemas(): Plugin {
  const index = fileURLToPath(new URL('./src/shared/contract/index.ts', import.meta.url));
  const fillPath = fileURLToPath(new URL('./src/shared/contract/fill-path.ts', import.meta.url));
  const lines = [`export { fillPath } from ${JSON.stringify(fillPath)};`];
  for (const [name, value] of Object.entries(contract)) {
    const group = endpointGroup(value);
    if (group) lines.push(`export const ${name} = ${JSON.stringify(group)};`);
  }
  const code = lines.join('\n');
  return {
    name: 'autodoctor:contract-without-schemas',
    enforce: 'pre',
    load: (id) => (id.split('?')[0] === index ? code : undefined),
  };
}

type Wire = { method: string; path: string; multipart?: true; produces?: string };

/** `{ get: endpoint(…), … }` → `{ get: { method, path }, … }`; anything else (schemas, lists) → null. */
function endpointGroup(value: unknown): Record<string, Wire> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const group: Record<string, Wire> = {};
  for (const [name, e] of Object.entries(value)) {
    if (typeof e !== 'object' || e === null || typeof e.method !== 'string' || typeof e.path !== 'string') return null;
    if (!('responses' in e)) return null;
    group[name] = {
      method: e.method,
      path: e.path,
      ...(e.multipart === true ? { multipart: true } : {}),
      ...(typeof e.produces === 'string' ? { produces: e.produces } : {}),
    };
  }
  return Object.keys(group).length > 0 ? group : null;
}

export default defineConfig({
  root: 'src/web',
  plugins: [contractWithoutSchemas(), react(), tailwindcss()],
  build: { outDir: '../../dist/web', emptyOutDir: true, sourcemap: false },
  server: {
    port: 5173,
    proxy: { '/api': { target: 'http://127.0.0.1:3000', ws: true }, '/healthz': 'http://127.0.0.1:3000' },
  },
});
