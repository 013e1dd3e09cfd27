// npm start: the production web server on a Node host, i.e. Next's standalone server
// (`output: 'standalone'`, built by `npm run build`, static files copied by postbuild).
// `next start` does not serve a standalone build as deployed. The server reads its whole
// configuration from the environment (see .env.example and docs/deploy.md); it listens on
// PORT (default 3000) and HOSTNAME (default 0.0.0.0).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const server = path.resolve('.next/standalone/server.js');
if (!existsSync(server)) {
  console.error('No production build found (.next/standalone/server.js). Run `npm run build` first.');
  process.exit(1);
}
if (!existsSync(path.resolve('.next/standalone/.next/static'))) {
  console.error('The build has no static files beside the server. Run `node scripts/standalone-assets.mjs` (npm run build does it).');
  process.exit(1);
}
process.env.NODE_ENV = 'production';
// The socket's address on every request, before Next.js sees it (scripts/peer-address.mjs).
await import('./peer-address.mjs');
// server.js changes into its own directory: keep a relative DATA_DIR pointing where it was meant.
if (process.env.DATA_DIR) process.env.DATA_DIR = path.resolve(process.env.DATA_DIR);
await import(pathToFileURL(server).href);
