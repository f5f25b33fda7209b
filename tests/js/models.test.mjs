// The real-world models of ../shared and the project's own ResNet50 and VGG16 on each backend
// variant (the big nets not on the fallback), against onnxruntime-node.
// WEBDNN_TEST_MODELS=name,... picks some (CTest runs one model per test).
import { test } from 'node:test';

import { modelSuites, sharedAndOwn } from './variants.mjs';

const { names, missing } = sharedAndOwn();
if (missing) test('the models of ../shared', { skip: missing }, () => {});
modelSuites(names);
