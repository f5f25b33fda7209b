@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 256>;
@group(0) @binding(1) var<storage, read> buf1: array<f32, 6144>;
@group(0) @binding(2) var<storage, read> buf2: array<f32, 24>;
@group(0) @binding(3) var<storage, read_write> buf3: array<f32, 24>;
fn get_a(i: u32) -> f32 { return buf0[i]; }
fn get_b(i: u32) -> f32 { return buf1[i]; }
fn get_c(i: u32) -> f32 { return buf2[i]; }
fn set_y(i: u32, v: f32) { buf3[i] = v; }
fn store_y(i: u32, x: f32) {
  set_y(i, x);
}
var<workgroup> part: array<f32, 256>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bt = wid.z;
  let col = wid.x * 4u + lid / 64u;
  let lane = lid % 64u;
  let n = min(col, 23u);
  var s0 = 0.0;
  var s1 = 0.0;
  var s2 = 0.0;
  var s3 = 0.0;
  var k = lane;
  for (; k + 192u < 256u; k = k + 256u) {
    let k1 = k + 64u;
    let k2 = k + 128u;
    let k3 = k + 192u;
    s0 = s0 + get_a(0u * 256u + k) * get_b(n * 256u + k);
    s1 = s1 + get_a(0u * 256u + k1) * get_b(n * 256u + k1);
    s2 = s2 + get_a(0u * 256u + k2) * get_b(n * 256u + k2);
    s3 = s3 + get_a(0u * 256u + k3) * get_b(n * 256u + k3);
  }
  for (; k < 256u; k = k + 64u) {
    s0 = s0 + get_a(0u * 256u + k) * get_b(n * 256u + k);
  }
  part[lid] = (s0 + s1) + (s2 + s3);
  workgroupBarrier();
  if (lane < 32u) { part[lid] = part[lid] + part[lid + 32u]; }
  workgroupBarrier();
  if (lane < 16u) { part[lid] = part[lid] + part[lid + 16u]; }
  workgroupBarrier();
  if (lane < 8u) { part[lid] = part[lid] + part[lid + 8u]; }
  workgroupBarrier();
  if (lane < 4u) { part[lid] = part[lid] + part[lid + 4u]; }
  workgroupBarrier();
  if (lane < 2u) { part[lid] = part[lid] + part[lid + 2u]; }
  workgroupBarrier();
  if (lane < 1u) { part[lid] = part[lid] + part[lid + 1u]; }
  workgroupBarrier();
  if ((lane == 0u) & (col < 24u)) {
    store_y(0u * 24u + col, part[lid] + get_c(0u * 0u + col * 1u));
  }
}
