@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 120>;
@group(0) @binding(1) var<storage, read_write> buf1: array<f32, 3>;
@group(0) @binding(2) var<storage, read_write> buf2: array<f32, 5>;
@group(0) @binding(3) var<storage, read_write> buf3: array<f32, 120>;
fn get_x0(i: u32) -> f32 { return buf0[i]; }
fn get_x1(i: u32) -> f32 { return buf1[i]; }
fn get_x2(i: u32) -> f32 { return buf2[i]; }
fn set_y(i: u32, v: f32) { buf3[i] = v; }
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn max_n(a: f32, b: f32) -> f32 { return select(max(a, b), a + b, is_nan(a) | is_nan(b)); }
@compute @workgroup_size(32)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * 4u + wid.x) * 32u + lid;
  if (i >= 120u) { return; }
  let c0 = i / 60u;
  let c1 = (i / 20u) % 3u;
  let c2 = (i / 5u) % 4u;
  let c3 = (i / 1u) % 5u;
  let e0 = get_x0(i);
  let e1 = get_x1(c1 * 1u);
  let e2 = e0 * e1;
  let e3 = get_x2(c3 * 1u);
  let e4 = e2 + e3;
  let e5 = 0.0;
  let e6 = max_n(e4, e5);
  set_y(i, e6);
}
