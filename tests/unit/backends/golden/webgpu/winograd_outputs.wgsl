@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 65536>;
@group(0) @binding(1) var<storage, read> buf1: array<f32, 256>;
@group(0) @binding(2) var<storage, read_write> buf2: array<f32, 12544>;
fn get_z(i: u32) -> f32 { return buf0[i]; }
fn get_bias(i: u32) -> f32 { return buf1[i]; }
fn set_y(i: u32, v: f32) { buf2[i] = v; }
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn max_n(a: f32, b: f32) -> f32 { return select(max(a, b), a + b, is_nan(a) | is_nan(b)); }
fn store_y(i: u32, x: f32) {
  let e0 = x;
  let e1 = 0.0;
  let e2 = max_n(e0, e1);
  set_y(i, e2);
}
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * 64u + wid.x) * 64u + lid;
  if (i >= 4096u) { return; }
  let p = i % 16u;
  let m = i / 16u;
  let n = p / 16u;
  let t = p % 16u;
  let oh = (t / 4u) * 2u;
  let ow = (t % 4u) * 2u;
  let z00 = get_z(0u + i);
  let z01 = get_z(4096u + i);
  let z02 = get_z(8192u + i);
  let z03 = get_z(12288u + i);
  let z10 = get_z(16384u + i);
  let z11 = get_z(20480u + i);
  let z12 = get_z(24576u + i);
  let z13 = get_z(28672u + i);
  let z20 = get_z(32768u + i);
  let z21 = get_z(36864u + i);
  let z22 = get_z(40960u + i);
  let z23 = get_z(45056u + i);
  let z30 = get_z(49152u + i);
  let z31 = get_z(53248u + i);
  let z32 = get_z(57344u + i);
  let z33 = get_z(61440u + i);
  let zs00 = z00 + z10 + z20;
  let zs01 = z01 + z11 + z21;
  let zs02 = z02 + z12 + z22;
  let zs03 = z03 + z13 + z23;
  let zs10 = z10 - z20 - z30;
  let zs11 = z11 - z21 - z31;
  let zs12 = z12 - z22 - z32;
  let zs13 = z13 - z23 - z33;
  let zy00 = zs00 + zs01 + zs02;
  let zy10 = zs10 + zs11 + zs12;
  let zy01 = zs01 - zs02 - zs03;
  let zy11 = zs11 - zs12 - zs13;
  let y0 = (n * 256u + m) * 49u + oh * 7u + ow;
  if ((oh + 0u < 7u) & (ow + 0u < 7u)) { store_y(y0 + 0u, zy00 + get_bias(m)); }
  if ((oh + 0u < 7u) & (ow + 1u < 7u)) { store_y(y0 + 1u, zy01 + get_bias(m)); }
  if ((oh + 1u < 7u) & (ow + 0u < 7u)) { store_y(y0 + 7u, zy10 + get_bias(m)); }
  if ((oh + 1u < 7u) & (ow + 1u < 7u)) { store_y(y0 + 8u, zy11 + get_bias(m)); }
}
