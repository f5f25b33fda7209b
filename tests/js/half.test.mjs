// Models exported in half precision: float16 inputs and outputs through the JS API (computed in
// float32, converted at the edges by runtime/js/half.mjs), against onnxruntime-node's float16
// answers; and the conversions themselves on values worked out by hand from the format.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';

import { bfloat16ToFloat, floatToBfloat16, floatToHalf, fromDeclared, halfToFloat, toDeclared } from '../../runtime/js/half.mjs';
import { converted, importWebDNN, model, reference, verdict } from './support.mjs';

test('float16 rounds to nearest even, saturates to infinity, and every half survives the round trip', () => {
  assert.equal(floatToHalf(1), 0x3c00);
  assert.equal(floatToHalf(-0), 0x8000);
  assert.equal(floatToHalf(0.1), 0x2e66);
  assert.equal(floatToHalf(1 + 2 ** -11), 0x3c00);  // a tie: to the even mantissa
  assert.equal(floatToHalf(1 + 3 * 2 ** -11), 0x3c02);
  assert.equal(floatToHalf(65504), 0x7bff);
  assert.equal(floatToHalf(65520), 0x7c00);
  assert.equal(floatToHalf(2 ** -24), 0x0001);
  assert.equal(floatToHalf(2 ** -25), 0x0000);
  assert.equal(floatToHalf(1023.5 * 2 ** -24), 0x0400);
  assert.ok(Number.isNaN(halfToFloat(floatToHalf(NaN))));
  for (let h = 0; h < 0x10000; h++) {
    const f = halfToFloat(h);
    if (!Number.isNaN(f) && floatToHalf(f) !== h) assert.fail(`half 0x${h.toString(16)} (${f}) came back as 0x${floatToHalf(f).toString(16)}`);
  }
  assert.equal(floatToBfloat16(1 + 3 * 2 ** -8), 0x3f82);
  assert.equal(bfloat16ToFloat(0xc040), -3);
});

test('whole arrays convert as each value does (the bulk paths: a table of halves, loops over bits)', () => {
  const every = Uint16Array.from({ length: 0x10000 }, (_, h) => h);
  const same = (a, b) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
  for (const [type, decode, encode] of [['float16', halfToFloat, floatToHalf], ['bfloat16', bfloat16ToFloat, floatToBfloat16]]) {
    const values = fromDeclared(every, type);
    assert.ok(values instanceof Float32Array);
    for (let h = 0; h < 0x10000; h++) if (!same(values[h], decode(h))) assert.fail(`${type} 0x${h.toString(16)}: ${values[h]}, not ${decode(h)}`);
    // Floats between the type's values, ties, overflows, subnormals, NaN: rounded as one at a time.
    const floats = Float32Array.from({ length: 20000 }, (_, i) => (i % 2 ? -1 : 1) * 2 ** ((i % 90) - 45) * (1 + (i % 997) / 1024));
    floats.set([0, -0, NaN, Infinity, -Infinity, 65504, 65520, 2 ** -24, 2 ** -25, 1 + 2 ** -11, 3e38], 0);
    const bits = type === 'float16' && typeof Float16Array === 'function'  // eslint-disable-line no-undef
      ? new Uint16Array(toDeclared(floats, type).buffer) : toDeclared(floats, type);
    for (let i = 0; i < floats.length; i++) if (bits[i] !== encode(floats[i])) assert.fail(`${type} of ${floats[i]}: 0x${bits[i].toString(16)}`);
    // Numbers given for a half input are rounded to the type.
    const rounded = fromDeclared(Array.from(floats), type);
    for (let i = 0; i < floats.length; i++) if (!same(rounded[i], decode(encode(floats[i])))) assert.fail(`${type}: ${floats[i]} -> ${rounded[i]}`);
  }
});

describe('a model exported in half precision (op_half_io: float16 input, weights and output)', () => {
  let ref, dir, WebDNN;
  before(async () => {
    ref = await reference(model('op_half_io'));
    dir = converted(model('op_half_io'));
    WebDNN = await importWebDNN();
  });
  for (const backend of ['wasm', 'fallback']) {
    test(`${backend}: takes float16 bits or numbers, gives float16, matches onnxruntime`, async (t) => {
      const runner = await WebDNN.load(dir, { backendOrder: backend });
      try {
        const [input] = runner.inputs;
        const output = runner.outputs.find((o) => o.name === 'y16');
        assert.equal(input.declaredType, 'float16');
        assert.equal(input.dtype, 'float32');
        assert.equal(runner.outputs.find((o) => o.name === 'x32').declaredType, 'float32');
        input.set(ref.inputs[0].data);  // Uint16Array: the bits
        await runner.run();
        const bits = output.toActual();
        assert.ok(bits instanceof (typeof Float16Array === 'function' ? Float16Array : Uint16Array));  // eslint-disable-line no-undef
        const ours = Object.fromEntries(runner.outputs.map((o) => [o.name, { type: o.declaredType, shape: o.shape, data: o.toActual() }]));
        const { problems, lines } = verdict(ours, ref);
        for (const l of lines) t.diagnostic(l);
        assert.deepEqual(problems, []);
        // The same values as numbers give the same answer; numbers between halves are rounded first.
        input.set(Array.from(ref.inputs[0].data, (h) => halfToFloat(h) * (1 + 2 ** -13)));
        await runner.run();
        assert.deepEqual(output.toActual(), bits);
      } finally {
        runner.dispose();
      }
    });
  }
});
