// Typed views of a runner's inputs and outputs.
import { fromDeclared, toDeclared } from './half.mjs';
import { drawnPixels, imageLayout, resize, toArray } from './image.mjs';

const ARRAYS = {
  float32: Float32Array, int32: Int32Array, int64: BigInt64Array, bool: Uint8Array, uint8: Uint8Array, int8: Int8Array,
};

export class TensorView {
  // `view()` returns a typed array over the tensor's current memory (it may move as memory grows);
  // `write(typedArray)` stores new values. `role` is 'input' or 'output', for messages. A GPU
  // backend may take images (`writeImage(source, layout)`) and GPU buffers (`writeBuffer(buffer)`)
  // as they are.
  //
  // A model exported in half precision declares float16 (or bfloat16, float64) inputs and outputs,
  // which WebDNN computes in float32: `declaredType` is then the model's type, `dtype` float32.
  constructor({ role, name, dtype, shape, view, write, writeImage, writeBuffer, setShape, declaredType }) {
    this.role = role;
    this.name = name;
    this.dtype = dtype;
    this.declaredType = declaredType ?? dtype;
    this.resize(shape);
    this.setShape = setShape;
    this.view = view;
    this.write = write;
    this.writeImage = writeImage;
    this.writeBuffer = writeBuffer;
  }

  resize(shape) {
    this.shape = shape.slice();
    this.size = shape.reduce((a, b) => a * b, 1);
  }

  // Copies `array` (any array-like of numbers, or the same typed array; for a float16 or bfloat16
  // input also a Uint16Array of its bits, or a Float16Array) into the tensor; on the
  // webgpu backend also a GPUBuffer of f32 values in row-major order (f16 values where the runner
  // stores the input so: runner.storage 'f16'), read at each run().
  // `shape`, when given, is the input's shape for the next runs: a model converted with free
  // dimensions takes any shape that fits them (every input is then set anew before run(), which
  // checks them together); a model of fixed shapes takes only its own.
  set(array, shape) {
    if (shape !== undefined) this.changeShape(shape);
    if (typeof GPUBuffer === 'function' && array instanceof GPUBuffer) {
      if (!this.writeBuffer) throw new Error(`${this.role} '${this.name}': a GPUBuffer is taken by the webgpu backend only (not in a worker)`);
      this.writeBuffer(array);  // which checks its size: the backend knows how it stores values
      return;
    }
    const length = array?.length;
    if (length !== this.size) {
      throw new Error(`${this.role} '${this.name}' takes ${this.size} values (shape [${this.shape}]), but ${length} were given`);
    }
    const Type = ARRAYS[this.dtype];
    const values = this.declaredType !== this.dtype ? fromDeclared(array, this.declaredType)
      : array instanceof Type ? array
      : this.dtype === 'int64' ? BigInt64Array.from(array, (v) => BigInt(Math.trunc(Number(v))))
        : Type.from(array);
    this.write(values);
  }

  changeShape(shape) {
    const valid = Array.isArray(shape) && shape.every((d) => Number.isInteger(d) && d >= 0);
    if (!valid) throw new Error(`${this.role} '${this.name}': a shape is a list of non-negative integers, not ${JSON.stringify(shape)}`);
    const same = shape.length === this.shape.length && shape.every((d, i) => d === this.shape[i]);
    if (same) return;
    if (!this.setShape) {
      throw new Error(`${this.role} '${this.name}' has the fixed shape [${this.shape}], not [${shape}]; convert the ` +
        'model without --input-shape (wasm and fallback backends) to run it at other shapes');
    }
    this.setShape(shape);
  }

  // Sets an image input from `source` (ImageBitmap, HTMLVideoElement, VideoFrame, canvas, <img>,
  // ImageData): resized to the input's height and width, channels `color` in `order`, each value
  // (pixel - bias) / scale with pixels in 0..255 (options as Image.getImageArray takes them; the
  // layout from the input's shape). On the GPU backends this is done on the GPU.
  setImage(source, options = {}) {
    const layout = imageLayout(this, options);
    if (this.writeImage) {
      this.writeImage(source, layout);
      return;
    }
    const image = resize(drawnPixels(source, layout.width, layout.height), layout.width, layout.height);
    this.write(toArray(image, layout));
  }

  // A copy of the tensor's values, as the typed array of its dtype; for a float16 output a
  // Float16Array where the platform has one, else a Uint16Array of float16 bits (as
  // onnxruntime-web gives them), for bfloat16 its bits, for float64 a Float64Array.
  toActual() {
    const values = this.view().slice();
    return this.declaredType !== this.dtype ? toDeclared(values, this.declaredType) : values;
  }
}

export function arrayType(dtype) {
  const Type = ARRAYS[dtype];
  if (!Type) throw new Error(`dtype '${dtype}' is not supported`);
  return Type;
}
