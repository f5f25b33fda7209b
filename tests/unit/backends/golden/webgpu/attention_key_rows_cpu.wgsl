@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 132>;
@group(0) @binding(1) var<storage, read_write> buf1: array<f32, 132>;
fn get_k(i: u32) -> f32 { return buf0[i]; }
fn set_kt(i: u32, v: f32) { buf1[i] = v; }
@compute @workgroup_size(32)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * 5u + wid.x) * 32u + lid;
  if (i >= 132u) { return; }
  let b = i / 66u;
  let t = (i / 6u) % 11u;
  let d = i % 6u;
  set_kt(i, get_k((((b / 1u) % 2u) * 66u) + d * 11u + t));
}
