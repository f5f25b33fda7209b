@group(0) @binding(0) var<storage, read> buf0: array<f32, 576>;
@group(0) @binding(1) var<storage, read_write> buf1: array<f32, 144>;
fn get_t(i: u32) -> f32 { return buf0[i]; }
fn set_wq(i: u32, v: f32) { buf1[i] = v; }
@compute @workgroup_size(32)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * 5u + wid.x) * 32u + lid;
  if (i >= 144u) { return; }
  let v = vec4<i32>(i32(get_t(i * 4u)), i32(get_t(i * 4u + 1u)), i32(get_t(i * 4u + 2u)), i32(get_t(i * 4u + 3u)));
  let b = bitcast<vec4<u32>>(v) & vec4<u32>(255u);
  set_wq(i, bitcast<f32>(b.x | (b.y << 8u) | (b.z << 16u) | (b.w << 24u)));
}
