// Typed views of a runner's inputs and outputs.

const ARRAYS = {
  float32: Float32Array, int32: Int32Array, int64: BigInt64Array, bool: Uint8Array, uint8: Uint8Array, int8: Int8Array,
};

export class TensorView {
  // `view()` returns a typed array over the tensor's current memory (it may move as memory grows);
  // `write(typedArray)` stores new values. `role` is 'input' or 'output', for messages.
  constructor({ role, name, dtype, shape, view, write }) {
    this.role = role;
    this.name = name;
    this.dtype = dtype;
    this.shape = shape.slice();
    this.size = shape.reduce((a, b) => a * b, 1);
    this.view = view;
    this.write = write;
  }

  // Copies `array` (any array-like of numbers, or the same typed array) into the tensor.
  set(array) {
    const length = array?.length;
    if (length !== this.size) {
      throw new Error(`${this.role} '${this.name}' takes ${this.size} values (shape [${this.shape}]), but ${length} were given`);
    }
    const Type = ARRAYS[this.dtype];
    const values = array instanceof Type ? array
      : this.dtype === 'int64' ? BigInt64Array.from(array, (v) => BigInt(Math.trunc(Number(v))))
        : Type.from(array);
    this.write(values);
  }

  // A copy of the tensor's values, as the typed array of its dtype.
  toActual() {
    return this.view().slice();
  }
}

export function arrayType(dtype) {
  const Type = ARRAYS[dtype];
  if (!Type) throw new Error(`dtype '${dtype}' is not supported`);
  return Type;
}
