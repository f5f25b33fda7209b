// The package's TypeScript declarations (webdnn.d.ts) as a user's project sees them: the package
// installed under node_modules/webdnn, a page's code (types/usage.ts) type-checked with tsc
// --strict against the DOM types alone (no @webgpu/types), including lines that must not check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';

import { PACKAGE, REPO } from './support.mjs';

test('webdnn.d.ts type-checks a page\'s use of the package and catches its mistakes', () => {
  const project = fs.mkdtempSync(path.join(os.tmpdir(), 'webdnn-types-'));
  try {
    fs.mkdirSync(path.join(project, 'node_modules'));
    fs.symlinkSync(PACKAGE, path.join(project, 'node_modules', 'webdnn'));
    for (const f of ['usage.ts', 'tsconfig.json']) fs.copyFileSync(path.join(REPO, 'tests/js/types', f), path.join(project, f));
    const tsc = path.join(REPO, 'node_modules/typescript/bin/tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', project], { encoding: 'utf8' });
    assert.equal(r.status, 0, `tsc found errors:\n${r.stdout}${r.stderr}`);
  } finally {
    fs.rmSync(project, { recursive: true, force: true });
  }
});
