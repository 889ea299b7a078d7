// Adds lock entries for other platforms' optional native binaries (@swc/core-darwin-arm64, …).
//
// Why: the npm registry mirror this project is developed against serves only linux-x64 builds, so npm
// cannot record the other platforms' optional packages and `npm ci` then refuses the lock as out of sync.
// A lock made against the public registry lists them all; this restores that shape. Entries carry the
// version and the platform (os/cpu, inferred from the package name) so each platform installs only its own.
// Run after every `npm install`: `node scripts/complete-lockfile.mjs`.
import { readFileSync, writeFileSync } from 'node:fs';

const PLATFORM =
  /(darwin|linux|win32|android|freebsd|openbsd|netbsd|sunos|aix|openharmony|wasm32)-([a-z0-9]+)/;
const CPU = { wasi: 'wasm32' };

const file = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(file, 'utf8'));
const packages = lock.packages;
let added = 0;
for (const meta of Object.values(packages)) {
  for (const [name, range] of Object.entries(meta.optionalDependencies ?? {})) {
    const key = `node_modules/${name}`;
    if (packages[key]) continue;
    const entry = { version: range.replace(/^[~^]/, ''), optional: true };
    const match = PLATFORM.exec(name.split('/').pop());
    if (match) {
      if (match[1] !== 'wasm32') entry.os = [match[1]];
      entry.cpu = [CPU[match[2]] ?? match[2]];
      if (/-musl$/.test(name)) entry.libc = ['musl'];
      if (/-(gnu|glibc)$/.test(name)) entry.libc = ['glibc'];
    }
    packages[key] = entry;
    added += 1;
  }
}
lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(file, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`complete-lockfile: added ${added} optional platform entr${added === 1 ? 'y' : 'ies'}`);
