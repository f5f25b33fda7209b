// WebDNN.Image.getImageArray on {width, height, data} images, against values worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { importWebDNN } from './support.mjs';

const { Image } = await importWebDNN();

// 2x2 RGBA; the alpha channel must be ignored, whatever it is.
const IMAGE = {
  width: 2,
  height: 2,
  data: Uint8ClampedArray.of(10, 20, 30, 255, 40, 50, 60, 255, 70, 80, 90, 0, 100, 110, 120, 128),
};

function near(actual, expected, what) {
  assert.ok(actual instanceof Float32Array, `${what}: a Float32Array`);
  assert.equal(actual.length, expected.length, `${what}: length`);
  expected.forEach((e, i) => assert.ok(Math.abs(actual[i] - e) <= 1e-4, `${what}[${i}]: ${actual[i]}, expected ${e}`));
}

test('RGB and BGR, HWC and CHW', async () => {
  assert.deepEqual([...await Image.getImageArray(IMAGE)], [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
  assert.deepEqual([...await Image.getImageArray(IMAGE, { order: 'CHW' })], [10, 40, 70, 100, 20, 50, 80, 110, 30, 60, 90, 120]);
  assert.deepEqual([...await Image.getImageArray(IMAGE, { color: 'BGR' })], [30, 20, 10, 60, 50, 40, 90, 80, 70, 120, 110, 100]);
  assert.deepEqual([...await Image.getImageArray(IMAGE, { color: 'BGR', order: 'CHW' })],
    [30, 60, 90, 120, 20, 50, 80, 110, 10, 40, 70, 100]);
});

test('GREY is 0.299 R + 0.587 G + 0.114 B', async () => {
  // Each pixel is 30 brighter in every channel than the one before, and the weights sum to 1.
  near(await Image.getImageArray(IMAGE, { color: 'GREY' }), [18.15, 48.15, 78.15, 108.15], 'GREY HWC');
  near(await Image.getImageArray(IMAGE, { color: 'GREY', order: 'CHW' }), [18.15, 48.15, 78.15, 108.15], 'GREY CHW');
  near(await Image.getImageArray(IMAGE, { color: 'GREY', bias: 18.15, scale: 30 }), [0, 1, 2, 3], 'GREY normalized');
});

test('bias and scale: one for all channels, or one per output channel', async () => {
  assert.deepEqual([...await Image.getImageArray(IMAGE, { bias: 10, scale: 2 })], [0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]);
  assert.deepEqual([...await Image.getImageArray(IMAGE, { order: 'CHW', bias: [10, 20, 30], scale: [1, 2, 3] })],
    [0, 30, 60, 90, 0, 15, 30, 45, 0, 10, 20, 30]);
  // In BGR the first value belongs to B.
  assert.deepEqual([...await Image.getImageArray(IMAGE, { color: 'BGR', bias: [30, 20, 10], scale: [3, 2, 1] })],
    [0, 0, 0, 10, 15, 30, 20, 30, 60, 30, 45, 90]);
  // ImageNet's mean and deviation on the first pixel: (10 - 123.675) / 58.395, ...
  const imagenet = await Image.getImageArray(IMAGE, { order: 'CHW', bias: [123.675, 116.28, 103.53], scale: [58.395, 57.12, 57.375] });
  near(Float32Array.of(imagenet[0], imagenet[4], imagenet[8]), [-1.946656, -1.685574, -1.281569], 'ImageNet normalization');
});

test('resizing is bilinear with pixel centres, edges clamped', async () => {
  const row = (values) => ({ width: values.length, height: 1, data: values.flatMap((v) => [v, v, v, 255]) });
  assert.deepEqual([...await Image.getImageArray(row([0, 100]), { dstW: 4, dstH: 1, color: 'GREY' })].map(Math.round),
    [0, 25, 75, 100]);
  near(await Image.getImageArray(row([0, 40, 80, 120]), { dstW: 2, dstH: 1, order: 'CHW' }), [20, 100, 20, 100, 20, 100], 'down 4 to 2');
  // 2x2 to 3x3: the centre samples all four pixels, the edges midway between two.
  const square = { width: 2, height: 2, data: [0, 1, 2, 255, 100, 1, 2, 255, 50, 1, 2, 255, 150, 1, 2, 255] };
  const big = await Image.getImageArray(square, { dstW: 3, dstH: 3, order: 'CHW' });
  assert.deepEqual([...big.subarray(0, 9)], [0, 50, 100, 25, 75, 125, 50, 100, 150]);
  assert.deepEqual([...big.subarray(9)], [...Array(9).fill(1), ...Array(9).fill(2)]);
  assert.deepEqual([...await Image.getImageArray(square, { dstW: 1, dstH: 1 })], [75, 1, 2]);
});

test('bad options are refused with a message', async () => {
  await assert.rejects(Image.getImageArray(IMAGE, { color: 'RGBA' }), { message: "color must be 'RGB', 'BGR' or 'GREY', not 'RGBA'" });
  await assert.rejects(Image.getImageArray(IMAGE, { order: 'WHC' }), { message: "order must be 'HWC' or 'CHW', not 'WHC'" });
  await assert.rejects(Image.getImageArray(IMAGE, { bias: [1, 2] }), { message: 'bias needs 1 or 3 values, got 2' });
  await assert.rejects(Image.getImageArray(IMAGE, { color: 'GREY', scale: [1, 2, 3] }), { message: 'scale needs 1 value, got 3' });
});
