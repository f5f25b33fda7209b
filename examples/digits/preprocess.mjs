// A digit drawn on a canvas (dark ink on a light background) as the 8x8 input of digits_cnn,
// framed like its training data (scikit-learn's digits: they fill the 8 rows nearly edge to edge,
// and their darkest cell is 1.0): the ink's bounding box, padded to a square with a margin of 6%
// of the box's longer side on each side (12% in all), average-pooled to 8x8, ink 1.0 on
// background 0.0, then scaled so that the darkest cell is 1.0.
// Measured through this page (tests/browser/examples.test.mjs draws the 20 held-out samples
// on the pad): a margin of 12% of the box's longer side on each side keeps only 15 of their 20 labels,
// 6% keeps all 20.
import WebDNN from '../webdnn/webdnn.mjs';

export const SIZE = 8;

// Returns { input: Float32Array(64), box: {x, y, side} } or null when nothing is drawn.
export async function digitInput(canvas, { margin = 0.06, threshold = 0.1 } = {}) {
  // Ink per pixel: (grey - 255) / -255, so white 0.0 and black 1.0.
  const ink = await WebDNN.Image.getImageArray(canvas, { color: 'GREY', bias: 255, scale: -255 });
  const { width: w, height: h } = canvas;
  const pixels = [];
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) if (ink[y * w + x] > 0.01) pixels.push([x, y, ink[y * w + x]]);
  }
  if (!pixels.some(([, , v]) => v > threshold)) return null;
  // The bounding box of the ink.
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const [x, y, v] of pixels) {
    if (v <= threshold) continue;
    x0 = Math.min(x0, x);
    x1 = Math.max(x1, x + 1);
    y0 = Math.min(y0, y);
    y1 = Math.max(y1, y + 1);
  }
  // The square around the box's centre, the box's longer side plus a margin on each side.
  const side = Math.max(x1 - x0, y1 - y0) * (1 + 2 * margin);
  const left = (x0 + x1) / 2 - side / 2, top = (y0 + y1) / 2 - side / 2;
  const cell = side / SIZE;
  // Average pooling: each pixel (a unit square) adds its ink times its overlap with each cell;
  // the rest of the square is background.
  const sums = new Float64Array(SIZE * SIZE);
  const spans = (start) => {  // the cells that [start, start + 1) overlaps, with the overlap
    const a = start / cell, b = (start + 1) / cell;
    const out = [];
    for (let c = Math.max(Math.floor(a), 0); c < Math.min(Math.ceil(b), SIZE); c++) {
      const overlap = (Math.min(b, c + 1) - Math.max(a, c)) * cell;
      if (overlap > 0) out.push([c, overlap]);
    }
    return out;
  };
  for (const [x, y, v] of pixels) {
    const rows = spans(y - top);
    for (const [cx, ox] of spans(x - left)) for (const [cy, oy] of rows) sums[cy * SIZE + cx] += v * ox * oy;
  }
  const input = Float32Array.from(sums, (s) => Math.min(Math.max(s / (cell * cell), 0), 1));
  const darkest = Math.max(...input);
  if (darkest > 0) for (let i = 0; i < input.length; i++) input[i] /= darkest;
  return { input, box: { x: left, y: top, side } };
}
