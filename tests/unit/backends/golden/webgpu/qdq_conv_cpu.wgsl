@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 486>;
@group(0) @binding(1) var<storage, read> buf1: array<f32, 144>;
@group(0) @binding(2) var<storage, read> buf2: array<f32, 24>;
@group(0) @binding(3) var<storage, read_write> buf3: array<f32, 200>;
fn get_x(i: u32) -> f32 { return buf0[i]; }
fn get_wq(i: u32) -> f32 { return buf1[i]; }
fn get_ch(i: u32) -> f32 { return buf2[i]; }
fn set_y(i: u32, v: f32) { buf3[i] = v; }
fn pack_x(v: vec4<f32>) -> u32 {
  let q = clamp(vec4<i32>(round(v * 50.0)) + vec4<i32>(-28i), vec4<i32>(-128i), vec4<i32>(127i));
  let b = bitcast<vec4<u32>>(q) & vec4<u32>(255u);
  return b.x | (b.y << 8u) | (b.z << 16u) | (b.w << 24u);
}
fn load_x(bt: u32, j: u32, p: u32) -> u32 {
  let t = j / 2u;
  let c = (j % 2u) * 4u;
  let ih = i32((p / 5u) * 2u + (t / 3u) * 1u) - 1i;
  let iw = i32((p % 5u) * 2u + (t % 3u) * 1u) - 1i;
  let inside = (ih >= 0i) & (ih < 9i) & (iw >= 0i) & (iw < 9i);
  let at = bt * 486u + u32(clamp(ih, 0i, 8i)) * 9u + u32(clamp(iw, 0i, 8i));
  return pack_x(select(vec4<f32>(0.0), vec4<f32>(select(0.0, get_x(at + min((c + 0u), 5u) * 81u), (c + 0u) < 6u), select(0.0, get_x(at + min((c + 1u), 5u) * 81u), (c + 1u) < 6u), select(0.0, get_x(at + min((c + 2u), 5u) * 81u), (c + 2u) < 6u), select(0.0, get_x(at + min((c + 3u), 5u) * 81u), (c + 3u) < 6u)), inside));
}
fn dot4(a: u32, b: u32) -> i32 {
  let shifts = vec4<u32>(24u, 16u, 8u, 0u);
  let x = bitcast<vec4<i32>>(vec4<u32>(a) << shifts) >> vec4<u32>(24u);
  let y = bitcast<vec4<i32>>(vec4<u32>(b) << shifts) >> vec4<u32>(24u);
  return dot(x, y);
}
fn store_y(i: u32, x: f32) {
  set_y(i, x);
}
@compute @workgroup_size(4)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bt = wid.z;
  let m0 = wid.y * 8u + (lid / 4u) * 8u;
  let n0 = wid.x * 28u + lid % 4u;
  let am0 = m0 + 0u;
  let am1 = m0 + 1u;
  let am2 = m0 + 2u;
  let am3 = m0 + 3u;
  let am4 = m0 + 4u;
  let am5 = m0 + 5u;
  let am6 = m0 + 6u;
  let am7 = m0 + 7u;
  let bn0 = min(n0 + 0u, 24u);
  let bn1 = min(n0 + 4u, 24u);
  let bn2 = min(n0 + 8u, 24u);
  let bn3 = min(n0 + 12u, 24u);
  let bn4 = min(n0 + 16u, 24u);
  let bn5 = min(n0 + 20u, 24u);
  let bn6 = min(n0 + 24u, 24u);
  var acc0_0 = 0i;
  var acc0_1 = 0i;
  var acc0_2 = 0i;
  var acc0_3 = 0i;
  var acc0_4 = 0i;
  var acc0_5 = 0i;
  var acc0_6 = 0i;
  var acc1_0 = 0i;
  var acc1_1 = 0i;
  var acc1_2 = 0i;
  var acc1_3 = 0i;
  var acc1_4 = 0i;
  var acc1_5 = 0i;
  var acc1_6 = 0i;
  var acc2_0 = 0i;
  var acc2_1 = 0i;
  var acc2_2 = 0i;
  var acc2_3 = 0i;
  var acc2_4 = 0i;
  var acc2_5 = 0i;
  var acc2_6 = 0i;
  var acc3_0 = 0i;
  var acc3_1 = 0i;
  var acc3_2 = 0i;
  var acc3_3 = 0i;
  var acc3_4 = 0i;
  var acc3_5 = 0i;
  var acc3_6 = 0i;
  var acc4_0 = 0i;
  var acc4_1 = 0i;
  var acc4_2 = 0i;
  var acc4_3 = 0i;
  var acc4_4 = 0i;
  var acc4_5 = 0i;
  var acc4_6 = 0i;
  var acc5_0 = 0i;
  var acc5_1 = 0i;
  var acc5_2 = 0i;
  var acc5_3 = 0i;
  var acc5_4 = 0i;
  var acc5_5 = 0i;
  var acc5_6 = 0i;
  var acc6_0 = 0i;
  var acc6_1 = 0i;
  var acc6_2 = 0i;
  var acc6_3 = 0i;
  var acc6_4 = 0i;
  var acc6_5 = 0i;
  var acc6_6 = 0i;
  var acc7_0 = 0i;
  var acc7_1 = 0i;
  var acc7_2 = 0i;
  var acc7_3 = 0i;
  var acc7_4 = 0i;
  var acc7_5 = 0i;
  var acc7_6 = 0i;
  for (var k = 0u; k < 18u; k = k + 1u) {
    let a0 = bitcast<u32>(get_wq(am0 * 18u + k));
    let a1 = bitcast<u32>(get_wq(am1 * 18u + k));
    let a2 = bitcast<u32>(get_wq(am2 * 18u + k));
    let a3 = bitcast<u32>(get_wq(am3 * 18u + k));
    let a4 = bitcast<u32>(get_wq(am4 * 18u + k));
    let a5 = bitcast<u32>(get_wq(am5 * 18u + k));
    let a6 = bitcast<u32>(get_wq(am6 * 18u + k));
    let a7 = bitcast<u32>(get_wq(am7 * 18u + k));
    let b0 = load_x(bt, k, bn0);
    let b1 = load_x(bt, k, bn1);
    let b2 = load_x(bt, k, bn2);
    let b3 = load_x(bt, k, bn3);
    let b4 = load_x(bt, k, bn4);
    let b5 = load_x(bt, k, bn5);
    let b6 = load_x(bt, k, bn6);
    acc0_0 = acc0_0 + dot4(a0, b0);
    acc0_1 = acc0_1 + dot4(a0, b1);
    acc0_2 = acc0_2 + dot4(a0, b2);
    acc0_3 = acc0_3 + dot4(a0, b3);
    acc0_4 = acc0_4 + dot4(a0, b4);
    acc0_5 = acc0_5 + dot4(a0, b5);
    acc0_6 = acc0_6 + dot4(a0, b6);
    acc1_0 = acc1_0 + dot4(a1, b0);
    acc1_1 = acc1_1 + dot4(a1, b1);
    acc1_2 = acc1_2 + dot4(a1, b2);
    acc1_3 = acc1_3 + dot4(a1, b3);
    acc1_4 = acc1_4 + dot4(a1, b4);
    acc1_5 = acc1_5 + dot4(a1, b5);
    acc1_6 = acc1_6 + dot4(a1, b6);
    acc2_0 = acc2_0 + dot4(a2, b0);
    acc2_1 = acc2_1 + dot4(a2, b1);
    acc2_2 = acc2_2 + dot4(a2, b2);
    acc2_3 = acc2_3 + dot4(a2, b3);
    acc2_4 = acc2_4 + dot4(a2, b4);
    acc2_5 = acc2_5 + dot4(a2, b5);
    acc2_6 = acc2_6 + dot4(a2, b6);
    acc3_0 = acc3_0 + dot4(a3, b0);
    acc3_1 = acc3_1 + dot4(a3, b1);
    acc3_2 = acc3_2 + dot4(a3, b2);
    acc3_3 = acc3_3 + dot4(a3, b3);
    acc3_4 = acc3_4 + dot4(a3, b4);
    acc3_5 = acc3_5 + dot4(a3, b5);
    acc3_6 = acc3_6 + dot4(a3, b6);
    acc4_0 = acc4_0 + dot4(a4, b0);
    acc4_1 = acc4_1 + dot4(a4, b1);
    acc4_2 = acc4_2 + dot4(a4, b2);
    acc4_3 = acc4_3 + dot4(a4, b3);
    acc4_4 = acc4_4 + dot4(a4, b4);
    acc4_5 = acc4_5 + dot4(a4, b5);
    acc4_6 = acc4_6 + dot4(a4, b6);
    acc5_0 = acc5_0 + dot4(a5, b0);
    acc5_1 = acc5_1 + dot4(a5, b1);
    acc5_2 = acc5_2 + dot4(a5, b2);
    acc5_3 = acc5_3 + dot4(a5, b3);
    acc5_4 = acc5_4 + dot4(a5, b4);
    acc5_5 = acc5_5 + dot4(a5, b5);
    acc5_6 = acc5_6 + dot4(a5, b6);
    acc6_0 = acc6_0 + dot4(a6, b0);
    acc6_1 = acc6_1 + dot4(a6, b1);
    acc6_2 = acc6_2 + dot4(a6, b2);
    acc6_3 = acc6_3 + dot4(a6, b3);
    acc6_4 = acc6_4 + dot4(a6, b4);
    acc6_5 = acc6_5 + dot4(a6, b5);
    acc6_6 = acc6_6 + dot4(a6, b6);
    acc7_0 = acc7_0 + dot4(a7, b0);
    acc7_1 = acc7_1 + dot4(a7, b1);
    acc7_2 = acc7_2 + dot4(a7, b2);
    acc7_3 = acc7_3 + dot4(a7, b3);
    acc7_4 = acc7_4 + dot4(a7, b4);
    acc7_5 = acc7_5 + dot4(a7, b5);
    acc7_6 = acc7_6 + dot4(a7, b6);
  }
  var accs = array<i32, 56>(acc0_0, acc0_1, acc0_2, acc0_3, acc0_4, acc0_5, acc0_6, acc1_0, acc1_1, acc1_2, acc1_3, acc1_4, acc1_5, acc1_6, acc2_0, acc2_1, acc2_2, acc2_3, acc2_4, acc2_5, acc2_6, acc3_0, acc3_1, acc3_2, acc3_3, acc3_4, acc3_5, acc3_6, acc4_0, acc4_1, acc4_2, acc4_3, acc4_4, acc4_5, acc4_6, acc5_0, acc5_1, acc5_2, acc5_3, acc5_4, acc5_5, acc5_6, acc6_0, acc6_1, acc6_2, acc6_3, acc6_4, acc6_5, acc6_6, acc7_0, acc7_1, acc7_2, acc7_3, acc7_4, acc7_5, acc7_6);
  for (var r = 0u; r < 8u; r = r + 1u) {
    let m = m0 + r;
    for (var q = 0u; q < 7u; q = q + 1u) {
      let n = n0 + q * 4u;
      if ((n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((accs[r * 7u + q] + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
  }
}
