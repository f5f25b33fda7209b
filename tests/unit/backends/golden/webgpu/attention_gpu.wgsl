@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 108>;
@group(0) @binding(1) var<storage, read_write> buf1: array<f32, 132>;
@group(0) @binding(2) var<storage, read_write> buf2: array<f32, 220>;
@group(0) @binding(3) var<storage, read_write> buf3: array<f32, 22>;
@group(0) @binding(4) var<storage, read_write> buf4: array<f32, 180>;
fn get_q(i: u32) -> f32 { return buf0[i]; }
fn get_k(i: u32) -> f32 { return buf1[i]; }
fn get_v(i: u32) -> f32 { return buf2[i]; }
fn get_extra1(i: u32) -> f32 { return buf3[i]; }
fn set_y(i: u32, v: f32) { buf4[i] = v; }
fn score(i: u32, x: f32) -> f32 {
  let c0 = i / 99u;
  let c1 = (i / 11u) % 9u;
  let c2 = (i / 1u) % 11u;
  let e0 = x;
  let e1 = 0.125;
  let e2 = e0 * e1;
  let e3 = get_extra1(c0 * 11u + c2 * 1u);
  let e4 = e2 + e3;
  return e4;
}
// Q's and K''s slices of the depth (then P, the probabilities of a tile, in Q's place, and each row
// of invocations' maxima or sums in K''s), then V's tile.
var<workgroup> sm: array<vec4<f32>, 768>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let b = wid.y;
  let tr = lid / 8u;
  let tc = lid % 8u;
  let first_row = wid.x * 32u;
  let r0 = first_row + tr * 4u;
  let lowest = -3.4028234663852886e+38;
  let row0 = r0;
  let row1 = r0 + 1u;
  let row2 = r0 + 2u;
  let row3 = r0 + 3u;
  var m0 = lowest;
  var m1 = lowest;
  var m2 = lowest;
  var m3 = lowest;
  var l0 = 0.0;
  var l1 = 0.0;
  var l2 = 0.0;
  var l3 = 0.0;
  var o0_0 = vec4<f32>(0.0);
  var o1_0 = vec4<f32>(0.0);
  var o2_0 = vec4<f32>(0.0);
  var o3_0 = vec4<f32>(0.0);
  let t_end = min(11u, (wid.z + 1u) * 32u);
  for (var t0 = wid.z * 32u; t0 < t_end; t0 = t0 + 32u) {
    var s0_0 = 0.0;
    var s0_1 = 0.0;
    var s0_2 = 0.0;
    var s0_3 = 0.0;
    var s1_0 = 0.0;
    var s1_1 = 0.0;
    var s1_2 = 0.0;
    var s1_3 = 0.0;
    var s2_0 = 0.0;
    var s2_1 = 0.0;
    var s2_2 = 0.0;
    var s2_3 = 0.0;
    var s3_0 = 0.0;
    var s3_1 = 0.0;
    var s3_2 = 0.0;
    var s3_3 = 0.0;
    workgroupBarrier();
    for (var e = lid; e < 256u; e = e + 64u) {
      let c4 = e % 8u;
      let at = (((b / 1u) % 2u) * 110u) + min(t0 + e / 8u, 10u) * 10u;
      let dv = c4 * 4u + vec4<u32>(0u, 1u, 2u, 3u);
      let cols = min(dv, vec4<u32>(9u));
      let vv = vec4<f32>(get_v(at + cols.x), get_v(at + cols.y), get_v(at + cols.z), get_v(at + cols.w));
      sm[512u + e] = select(vec4<f32>(0.0), vv, dv < vec4<u32>(10u));
    }
    for (var e = lid; e < 256u; e = e + 64u) {
      let dd = e % 32u;
      let r4 = e / 32u;
      let d = min(0u + dd, 5u);
      let rows = min(first_row + r4 * 4u + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(8u));
      let qv = vec4<f32>(get_q((((b / 1u) % 2u) * 54u) + rows.x * 6u + d), get_q((((b / 1u) % 2u) * 54u) + rows.y * 6u + d), get_q((((b / 1u) % 2u) * 54u) + rows.z * 6u + d), get_q((((b / 1u) % 2u) * 54u) + rows.w * 6u + d));
      sm[dd * 8u + (r4 ^ (dd % 8u))] = select(vec4<f32>(0.0), qv, 0u + dd < 6u);
    }
    for (var e = lid; e < 256u; e = e + 64u) {
      let j4 = e % 8u;
      let dd = e / 8u;
      let at = (((b / 1u) % 2u) * 66u) + min(0u + dd, 5u) * 11u;
      let keys = min(t0 + j4 * 4u + vec4<u32>(0u, 1u, 2u, 3u), vec4<u32>(10u));
      let kv = vec4<f32>(get_k(at + keys.x), get_k(at + keys.y), get_k(at + keys.z), get_k(at + keys.w));
      sm[256u + dd * 8u + j4] = select(vec4<f32>(0.0), kv, 0u + dd < 6u);
    }
    workgroupBarrier();
    for (var dd = 0u; dd < 32u; dd = dd + 1u) {
      let a = sm[dd * 8u + (tr ^ (dd % 8u))];
      let k = sm[256u + dd * 8u + tc];
      s0_0 = s0_0 + a[0] * k[0];
      s0_1 = s0_1 + a[0] * k[1];
      s0_2 = s0_2 + a[0] * k[2];
      s0_3 = s0_3 + a[0] * k[3];
      s1_0 = s1_0 + a[1] * k[0];
      s1_1 = s1_1 + a[1] * k[1];
      s1_2 = s1_2 + a[1] * k[2];
      s1_3 = s1_3 + a[1] * k[3];
      s2_0 = s2_0 + a[2] * k[0];
      s2_1 = s2_1 + a[2] * k[1];
      s2_2 = s2_2 + a[2] * k[2];
      s2_3 = s2_3 + a[2] * k[3];
      s3_0 = s3_0 + a[3] * k[0];
      s3_1 = s3_1 + a[3] * k[1];
      s3_2 = s3_2 + a[3] * k[2];
      s3_3 = s3_3 + a[3] * k[3];
    }
    let key0 = t0 + tc * 4u;
    let at0 = (b * 9u + min(row0, 8u)) * 11u;
    let x0_0 = select(lowest, score(at0 + min(key0, 10u), s0_0), key0 < 11u);
    let x0_1 = select(lowest, score(at0 + min(key0 + 1u, 10u), s0_1), key0 + 1u < 11u);
    let x0_2 = select(lowest, score(at0 + min(key0 + 2u, 10u), s0_2), key0 + 2u < 11u);
    let x0_3 = select(lowest, score(at0 + min(key0 + 3u, 10u), s0_3), key0 + 3u < 11u);
    let at1 = (b * 9u + min(row1, 8u)) * 11u;
    let x1_0 = select(lowest, score(at1 + min(key0, 10u), s1_0), key0 < 11u);
    let x1_1 = select(lowest, score(at1 + min(key0 + 1u, 10u), s1_1), key0 + 1u < 11u);
    let x1_2 = select(lowest, score(at1 + min(key0 + 2u, 10u), s1_2), key0 + 2u < 11u);
    let x1_3 = select(lowest, score(at1 + min(key0 + 3u, 10u), s1_3), key0 + 3u < 11u);
    let at2 = (b * 9u + min(row2, 8u)) * 11u;
    let x2_0 = select(lowest, score(at2 + min(key0, 10u), s2_0), key0 < 11u);
    let x2_1 = select(lowest, score(at2 + min(key0 + 1u, 10u), s2_1), key0 + 1u < 11u);
    let x2_2 = select(lowest, score(at2 + min(key0 + 2u, 10u), s2_2), key0 + 2u < 11u);
    let x2_3 = select(lowest, score(at2 + min(key0 + 3u, 10u), s2_3), key0 + 3u < 11u);
    let at3 = (b * 9u + min(row3, 8u)) * 11u;
    let x3_0 = select(lowest, score(at3 + min(key0, 10u), s3_0), key0 < 11u);
    let x3_1 = select(lowest, score(at3 + min(key0 + 1u, 10u), s3_1), key0 + 1u < 11u);
    let x3_2 = select(lowest, score(at3 + min(key0 + 2u, 10u), s3_2), key0 + 2u < 11u);
    let x3_3 = select(lowest, score(at3 + min(key0 + 3u, 10u), s3_3), key0 + 3u < 11u);
    workgroupBarrier();
    sm[256u + (tr * 4u + 0u) * 2u + tc / 4u][tc % 4u] = max(max(x0_0, x0_1), max(x0_2, x0_3));
    sm[256u + (tr * 4u + 1u) * 2u + tc / 4u][tc % 4u] = max(max(x1_0, x1_1), max(x1_2, x1_3));
    sm[256u + (tr * 4u + 2u) * 2u + tc / 4u][tc % 4u] = max(max(x2_0, x2_1), max(x2_2, x2_3));
    sm[256u + (tr * 4u + 3u) * 2u + tc / 4u][tc % 4u] = max(max(x3_0, x3_1), max(x3_2, x3_3));
    workgroupBarrier();
    let h0 = sm[256u + (tr * 4u + 0u) * 2u + 0u];
    let g0 = sm[256u + (tr * 4u + 0u) * 2u + 1u];
    let top0 = max(m0, max(max(max(h0.x, h0.y), max(h0.z, h0.w)), max(max(g0.x, g0.y), max(g0.z, g0.w))));
    let a0 = exp(m0 - top0);
    m0 = top0;
    let p0_0 = select(0.0, exp(x0_0 - top0), key0 < 11u);
    let p0_1 = select(0.0, exp(x0_1 - top0), key0 + 1u < 11u);
    let p0_2 = select(0.0, exp(x0_2 - top0), key0 + 2u < 11u);
    let p0_3 = select(0.0, exp(x0_3 - top0), key0 + 3u < 11u);
    l0 = l0 * a0 + p0_0 + p0_1 + p0_2 + p0_3;
    o0_0 = o0_0 * a0;
    let h1 = sm[256u + (tr * 4u + 1u) * 2u + 0u];
    let g1 = sm[256u + (tr * 4u + 1u) * 2u + 1u];
    let top1 = max(m1, max(max(max(h1.x, h1.y), max(h1.z, h1.w)), max(max(g1.x, g1.y), max(g1.z, g1.w))));
    let a1 = exp(m1 - top1);
    m1 = top1;
    let p1_0 = select(0.0, exp(x1_0 - top1), key0 < 11u);
    let p1_1 = select(0.0, exp(x1_1 - top1), key0 + 1u < 11u);
    let p1_2 = select(0.0, exp(x1_2 - top1), key0 + 2u < 11u);
    let p1_3 = select(0.0, exp(x1_3 - top1), key0 + 3u < 11u);
    l1 = l1 * a1 + p1_0 + p1_1 + p1_2 + p1_3;
    o1_0 = o1_0 * a1;
    let h2 = sm[256u + (tr * 4u + 2u) * 2u + 0u];
    let g2 = sm[256u + (tr * 4u + 2u) * 2u + 1u];
    let top2 = max(m2, max(max(max(h2.x, h2.y), max(h2.z, h2.w)), max(max(g2.x, g2.y), max(g2.z, g2.w))));
    let a2 = exp(m2 - top2);
    m2 = top2;
    let p2_0 = select(0.0, exp(x2_0 - top2), key0 < 11u);
    let p2_1 = select(0.0, exp(x2_1 - top2), key0 + 1u < 11u);
    let p2_2 = select(0.0, exp(x2_2 - top2), key0 + 2u < 11u);
    let p2_3 = select(0.0, exp(x2_3 - top2), key0 + 3u < 11u);
    l2 = l2 * a2 + p2_0 + p2_1 + p2_2 + p2_3;
    o2_0 = o2_0 * a2;
    let h3 = sm[256u + (tr * 4u + 3u) * 2u + 0u];
    let g3 = sm[256u + (tr * 4u + 3u) * 2u + 1u];
    let top3 = max(m3, max(max(max(h3.x, h3.y), max(h3.z, h3.w)), max(max(g3.x, g3.y), max(g3.z, g3.w))));
    let a3 = exp(m3 - top3);
    m3 = top3;
    let p3_0 = select(0.0, exp(x3_0 - top3), key0 < 11u);
    let p3_1 = select(0.0, exp(x3_1 - top3), key0 + 1u < 11u);
    let p3_2 = select(0.0, exp(x3_2 - top3), key0 + 2u < 11u);
    let p3_3 = select(0.0, exp(x3_3 - top3), key0 + 3u < 11u);
    l3 = l3 * a3 + p3_0 + p3_1 + p3_2 + p3_3;
    o3_0 = o3_0 * a3;
    sm[(tc * 4u + 0u) * 8u + tr] = vec4<f32>(p0_0, p1_0, p2_0, p3_0);
    sm[(tc * 4u + 1u) * 8u + tr] = vec4<f32>(p0_1, p1_1, p2_1, p3_1);
    sm[(tc * 4u + 2u) * 8u + tr] = vec4<f32>(p0_2, p1_2, p2_2, p3_2);
    sm[(tc * 4u + 3u) * 8u + tr] = vec4<f32>(p0_3, p1_3, p2_3, p3_3);
    workgroupBarrier();
    for (var j = 0u; j < 32u; j = j + 1u) {
      let pv = sm[j * 8u + tr];
      let v0 = sm[512u + j * 8u + tc * 1u + 0u];
      o0_0 = o0_0 + pv[0] * v0;
      o1_0 = o1_0 + pv[1] * v0;
      o2_0 = o2_0 + pv[2] * v0;
      o3_0 = o3_0 + pv[3] * v0;
    }
  }
  workgroupBarrier();
  sm[256u + (tr * 4u + 0u) * 2u + tc / 4u][tc % 4u] = l0;
  sm[256u + (tr * 4u + 1u) * 2u + tc / 4u][tc % 4u] = l1;
  sm[256u + (tr * 4u + 2u) * 2u + tc / 4u][tc % 4u] = l2;
  sm[256u + (tr * 4u + 3u) * 2u + tc / 4u][tc % 4u] = l3;
  workgroupBarrier();
  let inv0 = 1.0 / (dot(sm[256u + (tr * 4u + 0u) * 2u + 0u] + sm[256u + (tr * 4u + 0u) * 2u + 1u], vec4<f32>(1.0)));
  if ((row0 < 9u) & (4u * (tc * 1u + 0u) + 0u < 10u)) { set_y((b * 9u + row0) * 10u + 4u * (tc * 1u + 0u) + 0u, (o0_0 * inv0)[0]); }
  if ((row0 < 9u) & (4u * (tc * 1u + 0u) + 1u < 10u)) { set_y((b * 9u + row0) * 10u + 4u * (tc * 1u + 0u) + 1u, (o0_0 * inv0)[1]); }
  if ((row0 < 9u) & (4u * (tc * 1u + 0u) + 2u < 10u)) { set_y((b * 9u + row0) * 10u + 4u * (tc * 1u + 0u) + 2u, (o0_0 * inv0)[2]); }
  if ((row0 < 9u) & (4u * (tc * 1u + 0u) + 3u < 10u)) { set_y((b * 9u + row0) * 10u + 4u * (tc * 1u + 0u) + 3u, (o0_0 * inv0)[3]); }
  let inv1 = 1.0 / (dot(sm[256u + (tr * 4u + 1u) * 2u + 0u] + sm[256u + (tr * 4u + 1u) * 2u + 1u], vec4<f32>(1.0)));
  if ((row1 < 9u) & (4u * (tc * 1u + 0u) + 0u < 10u)) { set_y((b * 9u + row1) * 10u + 4u * (tc * 1u + 0u) + 0u, (o1_0 * inv1)[0]); }
  if ((row1 < 9u) & (4u * (tc * 1u + 0u) + 1u < 10u)) { set_y((b * 9u + row1) * 10u + 4u * (tc * 1u + 0u) + 1u, (o1_0 * inv1)[1]); }
  if ((row1 < 9u) & (4u * (tc * 1u + 0u) + 2u < 10u)) { set_y((b * 9u + row1) * 10u + 4u * (tc * 1u + 0u) + 2u, (o1_0 * inv1)[2]); }
  if ((row1 < 9u) & (4u * (tc * 1u + 0u) + 3u < 10u)) { set_y((b * 9u + row1) * 10u + 4u * (tc * 1u + 0u) + 3u, (o1_0 * inv1)[3]); }
  let inv2 = 1.0 / (dot(sm[256u + (tr * 4u + 2u) * 2u + 0u] + sm[256u + (tr * 4u + 2u) * 2u + 1u], vec4<f32>(1.0)));
  if ((row2 < 9u) & (4u * (tc * 1u + 0u) + 0u < 10u)) { set_y((b * 9u + row2) * 10u + 4u * (tc * 1u + 0u) + 0u, (o2_0 * inv2)[0]); }
  if ((row2 < 9u) & (4u * (tc * 1u + 0u) + 1u < 10u)) { set_y((b * 9u + row2) * 10u + 4u * (tc * 1u + 0u) + 1u, (o2_0 * inv2)[1]); }
  if ((row2 < 9u) & (4u * (tc * 1u + 0u) + 2u < 10u)) { set_y((b * 9u + row2) * 10u + 4u * (tc * 1u + 0u) + 2u, (o2_0 * inv2)[2]); }
  if ((row2 < 9u) & (4u * (tc * 1u + 0u) + 3u < 10u)) { set_y((b * 9u + row2) * 10u + 4u * (tc * 1u + 0u) + 3u, (o2_0 * inv2)[3]); }
  let inv3 = 1.0 / (dot(sm[256u + (tr * 4u + 3u) * 2u + 0u] + sm[256u + (tr * 4u + 3u) * 2u + 1u], vec4<f32>(1.0)));
  if ((row3 < 9u) & (4u * (tc * 1u + 0u) + 0u < 10u)) { set_y((b * 9u + row3) * 10u + 4u * (tc * 1u + 0u) + 0u, (o3_0 * inv3)[0]); }
  if ((row3 < 9u) & (4u * (tc * 1u + 0u) + 1u < 10u)) { set_y((b * 9u + row3) * 10u + 4u * (tc * 1u + 0u) + 1u, (o3_0 * inv3)[1]); }
  if ((row3 < 9u) & (4u * (tc * 1u + 0u) + 2u < 10u)) { set_y((b * 9u + row3) * 10u + 4u * (tc * 1u + 0u) + 2u, (o3_0 * inv3)[2]); }
  if ((row3 < 9u) & (4u * (tc * 1u + 0u) + 3u < 10u)) { set_y((b * 9u + row3) * 10u + 4u * (tc * 1u + 0u) + 3u, (o3_0 * inv3)[3]); }
}
