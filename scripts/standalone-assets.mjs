// postbuild: `output: 'standalone'` puts the server and its traced node_modules under
// .next/standalone but, by design, not the static files a CDN would serve: copy the build's
// .next/static and public/ beside server.js so `npm start` serves them itself.
import { cpSync, existsSync, rmSync } from 'node:fs';

const standalone = '.next/standalone';
if (!existsSync(`${standalone}/server.js`)) {
  // Not a standalone build (e.g. on Vercel, which ignores `output`): nothing to do.
  process.exit(0);
}
rmSync(`${standalone}/.next/static`, { recursive: true, force: true });
cpSync('.next/static', `${standalone}/.next/static`, { recursive: true });
if (existsSync('public')) {
  rmSync(`${standalone}/public`, { recursive: true, force: true });
  cpSync('public', `${standalone}/public`, { recursive: true });
}
console.log('Copied .next/static and public/ into .next/standalone.');
