// WebDNN.Image.getImageArray in Chromium, from each kind of source a page has: a canvas, an
// <img>, ImageData and a URL, with the pixel values worked out from the colours drawn.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { usePage } from './site.mjs';

const use = usePage();

// A 2x2 picture: red, green / blue, white. Read back as RGB, CHW, (v - 100) / 2.
const EXPECTED = [
  (255 - 100) / 2, (0 - 100) / 2, (0 - 100) / 2, (255 - 100) / 2,   // R
  (0 - 100) / 2, (255 - 100) / 2, (0 - 100) / 2, (255 - 100) / 2,   // G
  (0 - 100) / 2, (0 - 100) / 2, (255 - 100) / 2, (255 - 100) / 2,   // B
];

test('canvas, <img>, ImageData and URL sources give the drawn pixels', async () => {
  const results = await use.page.evaluate(async () => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    const canvas = document.createElement('canvas');
    canvas.width = 2;
    canvas.height = 2;
    const ctx = canvas.getContext('2d');
    for (const [x, y, colour] of [[0, 0, '#ff0000'], [1, 0, '#00ff00'], [0, 1, '#0000ff'], [1, 1, '#ffffff']]) {
      ctx.fillStyle = colour;
      ctx.fillRect(x, y, 1, 1);
    }
    const url = URL.createObjectURL(await new Promise((r) => canvas.toBlob(r, 'image/png')));
    const img = new window.Image();
    img.src = url;
    await img.decode();
    const options = { order: 'CHW', color: 'RGB', bias: 100, scale: 2 };
    const read = async (src) => Array.from(await WebDNN.Image.getImageArray(src, options));
    return {
      canvas: await read(canvas),
      img: await read(img),
      imageData: await read(ctx.getImageData(0, 0, 2, 2)),
      url: await read(url),
      bgrHwc: Array.from(await WebDNN.Image.getImageArray(canvas, { order: 'HWC', color: 'BGR' })),
    };
  });
  for (const source of ['canvas', 'img', 'imageData', 'url']) assert.deepEqual(results[source], EXPECTED, source);
  // HWC, BGR: pixel by pixel, blue first.
  assert.deepEqual(results.bgrHwc, [0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255]);
});

test('dstW and dstH resize through the canvas to the requested size', async () => {
  const size = await use.page.evaluate(async () => {
    const { default: WebDNN } = await import('/webdnn/webdnn.mjs');
    const canvas = document.createElement('canvas');
    canvas.width = 10;
    canvas.height = 6;
    const ctx = canvas.getContext('2d');
    ctx.fillStyle = '#808080';
    ctx.fillRect(0, 0, 10, 6);
    const a = await WebDNN.Image.getImageArray(canvas, { dstW: 5, dstH: 3, color: 'GREY' });
    return { length: a.length, values: [...new Set(Array.from(a, (v) => Math.round(v)))] };
  });
  assert.equal(size.length, 5 * 3);
  assert.deepEqual(size.values, [128]);  // a flat grey stays 128 whatever the resampling
});
