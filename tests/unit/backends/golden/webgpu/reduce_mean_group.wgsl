@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 6000>;
@group(0) @binding(1) var<storage, read_write> buf1: array<f32, 6>;
fn get_x(i: u32) -> f32 { return buf0[i]; }
fn set_y(i: u32, v: f32) { buf1[i] = v; }
var<workgroup> part: array<f32, 256>;
fn merge(a: f32, b: f32) -> f32 { return a + b; }
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let o = min(wid.y * 65535u + wid.x, 5u);
  let base = ((o / 1u) % 3u) * 1u + ((o / 3u) % 2u) * 3000u;
  let count = 1000.0;
  var mx = 0.0;
  var acc = 0.0;
  for (var r = lid; r < 1000u; r = r + 256u) { let v = get_x(base + r * 3u); acc = acc + v; }
  var total = 0.0;
  part[lid] = acc;
  workgroupBarrier();
  if (lid < 128u) { part[lid] = merge(part[lid], part[lid + 128u]); }
  workgroupBarrier();
  if (lid < 64u) { part[lid] = merge(part[lid], part[lid + 64u]); }
  workgroupBarrier();
  if (lid < 32u) { part[lid] = merge(part[lid], part[lid + 32u]); }
  workgroupBarrier();
  if (lid < 16u) { part[lid] = merge(part[lid], part[lid + 16u]); }
  workgroupBarrier();
  if (lid < 8u) { part[lid] = merge(part[lid], part[lid + 8u]); }
  workgroupBarrier();
  if (lid < 4u) { part[lid] = merge(part[lid], part[lid + 4u]); }
  workgroupBarrier();
  if (lid < 2u) { part[lid] = merge(part[lid], part[lid + 2u]); }
  workgroupBarrier();
  if (lid < 1u) { part[lid] = merge(part[lid], part[lid + 1u]); }
  workgroupBarrier();
  total = part[0];
  if ((lid == 0u) & (wid.y * 65535u + wid.x < 6u)) {
    let acc = total;
    set_y(o, acc / count);
  }
}
