enable subgroups;
@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 1200>;
@group(0) @binding(1) var<storage, read_write> buf1: array<f32, 1200>;
fn get_x(i: u32) -> f32 { return buf0[i]; }
fn set_y(i: u32, v: f32) { buf1[i] = v; }
var<private> k_inf: u32 = 0x7f800000u;
var<workgroup> part: array<f32, 64>;
fn all_sum(lid: u32, sg_n: u32, v: f32) -> f32 {
  var x = v;
  for (var d = 1u; d < sg_n; d = d << 1u) { x = x + subgroupShuffleXor(x, d); }
  if (lid % sg_n == 0u) { part[lid / sg_n] = x; }
  workgroupBarrier();
  var t = part[0];
  for (var j = 1u; j < 256u / sg_n; j = j + 1u) { t = t + part[j]; }
  workgroupBarrier();
  return t;
}
fn all_max(lid: u32, sg_n: u32, v: f32) -> f32 {
  var x = v;
  for (var d = 1u; d < sg_n; d = d << 1u) { x = max(x, subgroupShuffleXor(x, d)); }
  if (lid % sg_n == 0u) { part[lid / sg_n] = x; }
  workgroupBarrier();
  var t = part[0];
  for (var j = 1u; j < 256u / sg_n; j = j + 1u) { t = max(t, part[j]); }
  workgroupBarrier();
  return t;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(subgroup_size) sg_n: u32) {
  let row = wid.y * 65535u + wid.x;
  let base = row * 300u;
  var m = -bitcast<f32>(k_inf);
  for (var j = lid; j < 300u; j = j + 256u) {
    let at = base + j * 1u;
    m = max(m, get_x(at));
  }
  let mx = all_max(lid, sg_n, m);
  var s1 = 0.0;
  for (var j = lid; j < 300u; j = j + 256u) {
    let at = base + j * 1u;
    s1 = s1 + exp(get_x(at) - mx);
  }
  let sum = all_sum(lid, sg_n, s1);
  let is = 1.0 / sum;
  for (var j = lid; j < 300u; j = j + 256u) {
    let at = base + j * 1u;
    set_y(at, exp(get_x(at) - mx) * is);
  }
}
