@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 12544>;
@group(0) @binding(1) var<storage, read_write> buf1: array<f32, 65536>;
fn get_x(i: u32) -> f32 { return buf0[i]; }
fn set_v(i: u32, v: f32) { buf1[i] = v; }
fn pixel(xc: u32, h: i32, v: i32) -> f32 {
  let x = get_x(xc + u32(clamp(h, 0i, 6i)) * 7u + u32(clamp(v, 0i, 6i)));
  return select(0.0, x, (h >= 0i) & (h < 7i) & (v >= 0i) & (v < 7i));
}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * 64u + wid.x) * 64u + lid;
  if (i >= 4096u) { return; }
  let p = i % 16u;
  let c = i / 16u;
  let n = p / 16u;
  let t = p % 16u;
  let h0 = i32((t / 4u) * 2u) - 1i;
  let w0 = i32((t % 4u) * 2u) - 1i;
  let xc = (n * 256u + c) * 49u;
  let d00 = pixel(xc, h0 + 0i, w0 + 0i);
  let d01 = pixel(xc, h0 + 0i, w0 + 1i);
  let d02 = pixel(xc, h0 + 0i, w0 + 2i);
  let d03 = pixel(xc, h0 + 0i, w0 + 3i);
  let d10 = pixel(xc, h0 + 1i, w0 + 0i);
  let d11 = pixel(xc, h0 + 1i, w0 + 1i);
  let d12 = pixel(xc, h0 + 1i, w0 + 2i);
  let d13 = pixel(xc, h0 + 1i, w0 + 3i);
  let d20 = pixel(xc, h0 + 2i, w0 + 0i);
  let d21 = pixel(xc, h0 + 2i, w0 + 1i);
  let d22 = pixel(xc, h0 + 2i, w0 + 2i);
  let d23 = pixel(xc, h0 + 2i, w0 + 3i);
  let d30 = pixel(xc, h0 + 3i, w0 + 0i);
  let d31 = pixel(xc, h0 + 3i, w0 + 1i);
  let d32 = pixel(xc, h0 + 3i, w0 + 2i);
  let d33 = pixel(xc, h0 + 3i, w0 + 3i);
  let db00 = d00 - d20;
  let db01 = d01 - d21;
  let db02 = d02 - d22;
  let db03 = d03 - d23;
  let db10 = d10 + d20;
  let db11 = d11 + d21;
  let db12 = d12 + d22;
  let db13 = d13 + d23;
  let db20 = d20 - d10;
  let db21 = d21 - d11;
  let db22 = d22 - d12;
  let db23 = d23 - d13;
  let db30 = d10 - d30;
  let db31 = d11 - d31;
  let db32 = d12 - d32;
  let db33 = d13 - d33;
  let dv00 = db00 - db02;
  let dv10 = db10 - db12;
  let dv20 = db20 - db22;
  let dv30 = db30 - db32;
  let dv01 = db01 + db02;
  let dv11 = db11 + db12;
  let dv21 = db21 + db22;
  let dv31 = db31 + db32;
  let dv02 = db02 - db01;
  let dv12 = db12 - db11;
  let dv22 = db22 - db21;
  let dv32 = db32 - db31;
  let dv03 = db01 - db03;
  let dv13 = db11 - db13;
  let dv23 = db21 - db23;
  let dv33 = db31 - db33;
  set_v(0u + i, dv00);
  set_v(4096u + i, dv01);
  set_v(8192u + i, dv02);
  set_v(12288u + i, dv03);
  set_v(16384u + i, dv10);
  set_v(20480u + i, dv11);
  set_v(24576u + i, dv12);
  set_v(28672u + i, dv13);
  set_v(32768u + i, dv20);
  set_v(36864u + i, dv21);
  set_v(40960u + i, dv22);
  set_v(45056u + i, dv23);
  set_v(49152u + i, dv30);
  set_v(53248u + i, dv31);
  set_v(57344u + i, dv32);
  set_v(61440u + i, dv33);
}
