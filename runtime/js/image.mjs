// Turning images into model inputs: resize, pick channels, normalize, lay out.

// Pixels of `src` as {width, height, data: RGBA bytes}, drawn at dstW x dstH where a canvas can.
async function pixels(src, dstW, dstH) {
  if (typeof src === 'string') {
    const response = await fetch(typeof document === 'object' ? new URL(src, document.baseURI) : src);
    if (!response.ok) throw new Error(`cannot fetch image '${src}' (HTTP ${response.status})`);
    src = await createImageBitmap(await response.blob());
  }
  return drawnPixels(src, dstW, dstH);
}

// The same for a source that is already there (not a URL), at once.
export function drawnPixels(src, dstW, dstH) {
  if (src && src.data && typeof src.width === 'number' && typeof src.height === 'number') return src;  // ImageData
  const width = dstW ?? src.naturalWidth ?? src.videoWidth ?? src.displayWidth ?? src.width;
  const height = dstH ?? src.naturalHeight ?? src.videoHeight ?? src.displayHeight ?? src.height;
  if (!width || !height) throw new Error('the image has no size yet (not loaded?)');
  const canvas = typeof OffscreenCanvas === 'function' ? new OffscreenCanvas(width, height)
    : Object.assign(document.createElement('canvas'), { width, height });
  const context = canvas.getContext('2d');
  if (!context) throw new Error('cannot get a 2D canvas context to read the image');
  context.drawImage(src, 0, 0, width, height);
  return context.getImageData(0, 0, width, height);
}

// Bilinear resize of RGBA bytes (used when the source already is pixel data).
export function resize(image, dstW, dstH) {
  if (image.width === dstW && image.height === dstH) return image;
  const { width: w, height: h, data } = image;
  const out = new Uint8ClampedArray(dstW * dstH * 4);
  for (let y = 0; y < dstH; y++) {
    const sy = Math.min(Math.max((y + 0.5) * h / dstH - 0.5, 0), h - 1);
    const y0 = Math.floor(sy), y1 = Math.min(y0 + 1, h - 1), fy = sy - y0;
    for (let x = 0; x < dstW; x++) {
      const sx = Math.min(Math.max((x + 0.5) * w / dstW - 0.5, 0), w - 1);
      const x0 = Math.floor(sx), x1 = Math.min(x0 + 1, w - 1), fx = sx - x0;
      for (let c = 0; c < 4; c++) {
        const top = data[(y0 * w + x0) * 4 + c] * (1 - fx) + data[(y0 * w + x1) * 4 + c] * fx;
        const bottom = data[(y1 * w + x0) * 4 + c] * (1 - fx) + data[(y1 * w + x1) * 4 + c] * fx;
        out[(y * dstW + x) * 4 + c] = top * (1 - fy) + bottom * fy;
      }
    }
  }
  return { width: dstW, height: dstH, data: out };
}

const CHANNELS = {
  RGB: [(d, i) => d[i], (d, i) => d[i + 1], (d, i) => d[i + 2]],
  BGR: [(d, i) => d[i + 2], (d, i) => d[i + 1], (d, i) => d[i]],
  GREY: [(d, i) => 0.299 * d[i] + 0.587 * d[i + 1] + 0.114 * d[i + 2]],
};

function perChannel(value, n, what) {
  const list = Array.isArray(value) || ArrayBuffer.isView(value) ? Array.from(value) : [value];
  if (list.length === 1) return Array(n).fill(Number(list[0]));
  if (list.length !== n) throw new Error(`${what} needs ${n === 1 ? '1 value' : `1 or ${n} values`}, got ${list.length}`);
  return list.map(Number);
}

// `image` ({width, height, data: RGBA bytes}) as floats: channels `color` ('RGB', 'BGR' or
// 'GREY'), laid out `order` ('HWC' or 'CHW'), each value (pixel - bias[c]) / scale[c].
export function toArray(image, { order, color, bias, scale }) {
  const channels = CHANNELS[color];
  const n = channels.length;
  const { width, height, data } = image;
  const out = new Float32Array(width * height * n);
  for (let p = 0; p < width * height; p++) {
    for (let c = 0; c < n; c++) {
      const v = (channels[c](data, p * 4) - bias[c]) / scale[c];
      out[order === 'HWC' ? p * n + c : c * width * height + p] = v;
    }
  }
  return out;
}

function checkNames(color, order) {
  if (!CHANNELS[color]) throw new Error(`color must be 'RGB', 'BGR' or 'GREY', not '${color}'`);
  if (order !== 'HWC' && order !== 'CHW') throw new Error(`order must be 'HWC' or 'CHW', not '${order}'`);
}

// The image `src` (an <img>, <canvas>, ImageBitmap, ImageData, {width, height, data} or a URL)
// as a Float32Array of dstH x dstW pixels: channels 'RGB', 'BGR' or 'GREY', laid out 'HWC' or
// 'CHW', each value (pixel - bias) / scale with pixels in 0..255.
export async function getImageArray(src, options = {}) {
  const { dstW, dstH, order = 'HWC', color = 'RGB', bias = 0, scale = 1 } = options;
  checkNames(color, order);
  let image = await pixels(src, dstW, dstH);
  image = resize(image, dstW ?? image.width, dstH ?? image.height);
  const n = CHANNELS[color].length;
  return toArray(image, { order, color, bias: perChannel(bias, n, 'bias'), scale: perChannel(scale, n, 'scale') });
}

// How an image fills input `view` (TensorView.setImage): its size and layout from the input's
// shape ([1,] C, H, W or [1,] H, W, C with 1 or 3 channels; `order` says which where both fit),
// channels and normalization from `options` as getImageArray takes them.
export function imageLayout(view, options = {}) {
  const where = `input '${view.name}' (shape [${view.shape}])`;
  if (view.dtype !== 'float32') throw new Error(`${where} is ${view.dtype}, not an image (float32)`);
  const dims = view.shape.length === 4 && view.shape[0] === 1 ? view.shape.slice(1) : view.shape;
  const fits = (c) => c === 1 || c === 3;
  const order = options.order ?? (dims.length === 3 && fits(dims[0]) ? 'CHW' : dims.length === 3 && fits(dims[2]) ? 'HWC' : null);
  if (dims.length !== 3 || !order) throw new Error(`${where} is not an image: it needs [1, C, H, W] or [1, H, W, C] with 1 or 3 channels`);
  const [channels, height, width] = order === 'CHW' ? dims : order === 'HWC' ? [dims[2], dims[0], dims[1]] : [];
  const color = options.color ?? (channels === 1 ? 'GREY' : 'RGB');
  checkNames(color, order);
  if (CHANNELS[color].length !== channels) throw new Error(`${where} has ${channels} channels in ${order} order; color '${color}' gives ${CHANNELS[color].length}`);
  return { width, height, channels, order, color,
    bias: perChannel(options.bias ?? 0, channels, 'bias'), scale: perChannel(options.scale ?? 1, channels, 'scale') };
}
