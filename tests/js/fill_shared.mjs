#!/usr/bin/env node
// CTest fixture: refills every ../shared model into the build tree's cache (the one the e2e tests
// use) once, before the tests that run them. Exit status 0; 77 (skipped) when ../shared is
// missing, or 1 then under CI.
import { model, onnxFile, sharedMissing, sharedNames } from './support.mjs';

let missing;
try {
  missing = sharedMissing();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
if (missing) process.exit(77);
for (const name of sharedNames()) console.log(`${name}: ${onnxFile(model(name))}`);
