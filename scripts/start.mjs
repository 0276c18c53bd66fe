// `npm start`: builds what is missing (server and web), then serves.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

const run = (script) => {
  const result = spawnSync('npm', ['run', '--silent', script], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
};
const newest = (dir) => {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, fs.statSync(`${entry.parentPath}/${entry.name}`).mtimeMs);
  }
  return latest;
};
const builtAt = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

const sources = Math.max(newest('src/server'), newest('src/shared'));
if (builtAt('dist/server/main.js') < sources) {
  console.log('Building the server…');
  run('build:server');
}
if (builtAt('dist/web/index.html') < Math.max(newest('src/web'), newest('src/shared'))) {
  console.log('Building the web app…');
  run('build:web');
}
await import('../dist/server/main.js');
