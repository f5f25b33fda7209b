// WebDNN: run a model converted by webdnn-convert in a web page or in Node.js.
//
//   import WebDNN from 'webdnn';
//   const runner = await WebDNN.load('out');
//   runner.inputs[0].set(pixels); await runner.run(); runner.outputs[0].toActual();
import { clearCache } from './files.mjs';
import * as Image from './image.mjs';
import { load, registerBackend } from './load.mjs';
import * as WebDNNMath from './math.mjs';
import { FORMAT_VERSION, VERSION } from './version.mjs';

export { clearCache, Image, load, registerBackend, WebDNNMath as Math };
export { FORMAT_VERSION as formatVersion, VERSION as version };

const WebDNN = { load, clearCache, Image, Math: WebDNNMath, registerBackend, version: VERSION, formatVersion: FORMAT_VERSION };
export default WebDNN;
