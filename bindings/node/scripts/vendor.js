'use strict';
// prepack: copy the C library's sources (the repository's CMakeLists.txt,
// src/, include/, cmake/) into vendor/, so the npm tarball builds the addon
// on its own. `node scripts/vendor.js clean` (postpack) removes the copy.
// vendor/ is gitignored: in a checkout the addon builds from the repository.
const fs = require('node:fs');
const path = require('node:path');

const here = path.resolve(__dirname, '..');
const root = path.resolve(here, '..', '..');
const vendor = path.join(here, 'vendor');

fs.rmSync(vendor, { recursive: true, force: true });
if (process.argv[2] === 'clean') {
  process.exit(0);
}
if (!fs.existsSync(path.join(root, 'src', 'layers.txt'))) {
  console.error(`holoanim: ${root} is not the holoanim repository; cannot vendor the C library`);
  process.exit(1);
}
fs.mkdirSync(vendor);
fs.copyFileSync(path.join(root, 'CMakeLists.txt'), path.join(vendor, 'CMakeLists.txt'));
for (const dir of ['src', 'include', 'cmake']) {
  fs.cpSync(path.join(root, dir), path.join(vendor, dir), { recursive: true });
}
console.log(`holoanim: C library sources copied into ${path.relative(process.cwd(), vendor) || '.'}`);
