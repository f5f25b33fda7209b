@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 1200>;
@group(0) @binding(1) var<storage, read_write> buf1: array<f32, 1200>;
fn get_x(i: u32) -> f32 { return buf0[i]; }
fn set_y(i: u32, v: f32) { buf1[i] = v; }
var<private> k_inf: u32 = 0x7f800000u;
var<workgroup> part: array<f32, 256>;
fn all_sum(lid: u32, v: f32) -> f32 {
  part[lid] = v;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) {
    if (lid < s) { part[lid] = part[lid] + part[lid + s]; }
    workgroupBarrier();
  }
  let total = part[0];
  workgroupBarrier();
  return total;
}
fn all_max(lid: u32, v: f32) -> f32 {
  part[lid] = v;
  workgroupBarrier();
  for (var s = 128u; s > 0u; s = s >> 1u) {
    if (lid < s) { part[lid] = max(part[lid], part[lid + s]); }
    workgroupBarrier();
  }
  let total = part[0];
  workgroupBarrier();
  return total;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let row = wid.y * 65535u + wid.x;
  let base = row * 300u;
  var m = -bitcast<f32>(k_inf);
  for (var j = lid; j < 300u; j = j + 256u) {
    let at = base + j * 1u;
    m = max(m, get_x(at));
  }
  let mx = all_max(lid, m);
  var s1 = 0.0;
  for (var j = lid; j < 300u; j = j + 256u) {
    let at = base + j * 1u;
    s1 = s1 + exp(get_x(at) - mx);
  }
  let sum = all_sum(lid, s1);
  let is = 1.0 / sum;
  for (var j = lid; j < 300u; j = j + 256u) {
    let at = base + j * 1u;
    set_y(at, exp(get_x(at) - mx) * is);
  }
}
