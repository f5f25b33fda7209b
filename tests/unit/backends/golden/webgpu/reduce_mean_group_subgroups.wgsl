enable subgroups;
@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 6000>;
@group(0) @binding(1) var<storage, read_write> buf1: array<f32, 6>;
fn get_x(i: u32) -> f32 { return buf0[i]; }
fn set_y(i: u32, v: f32) { buf1[i] = v; }
var<workgroup> part: array<f32, 64>;
fn merge(a: f32, b: f32) -> f32 { return a + b; }
fn all_merge(lid: u32, sg_n: u32, v: f32) -> f32 {
  var x = v;
  for (var d = 1u; d < sg_n; d = d << 1u) { x = merge(x, subgroupShuffleXor(x, d)); }
  if (lid % sg_n == 0u) { part[lid / sg_n] = x; }
  workgroupBarrier();
  var t = part[0];
  for (var j = 1u; j < 256u / sg_n; j = j + 1u) { t = merge(t, part[j]); }
  workgroupBarrier();
  return t;
}
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32, @builtin(subgroup_size) sg_n: u32) {
  let o = min(wid.y * 65535u + wid.x, 5u);
  let base = ((o / 1u) % 3u) * 1u + ((o / 3u) % 2u) * 3000u;
  let count = 1000.0;
  var mx = 0.0;
  var acc = 0.0;
  for (var r = lid; r < 1000u; r = r + 256u) { let v = get_x(base + r * 3u); acc = acc + v; }
  var total = 0.0;
  total = all_merge(lid, sg_n, acc);
  if ((lid == 0u) & (wid.y * 65535u + wid.x < 6u)) {
    let acc = total;
    set_y(o, acc / count);
  }
}
