@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 1152>;
@group(0) @binding(1) var<storage, read> buf1: array<f32, 1152>;
@group(0) @binding(2) var<storage, read> buf2: array<f32, 16>;
@group(0) @binding(3) var<storage, read_write> buf3: array<f32, 2304>;
fn get_x(i: u32) -> f32 { return buf0[i]; }
fn get_w(i: u32) -> f32 { return buf1[i]; }
fn get_bias(i: u32) -> f32 { return buf2[i]; }
fn set_y(i: u32, v: f32) { buf3[i] = v; }
fn is_nan(x: f32) -> bool { return (bitcast<u32>(x) & 0x7fffffffu) > 0x7f800000u; }
fn max_n(a: f32, b: f32) -> f32 { return select(max(a, b), a + b, is_nan(a) | is_nan(b)); }
fn pixel(xc: u32, h: i32, v: i32) -> f32 {
  let x = get_x(xc + u32(clamp(h, 0i, 11i)) * 12u + u32(clamp(v, 0i, 11i)));
  return select(0.0, x, (h >= 0i) & (h < 12i) & (v >= 0i) & (v < 12i));
}
fn store_y(i: u32, x: f32) {
  let e0 = x;
  let e1 = 0.0;
  let e2 = max_n(e0, e1);
  set_y(i, e2);
}
@compute @workgroup_size(32)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bt = wid.z;
  let m0 = wid.y * 16u + (lid / 16u) * 8u;
  let n0 = wid.x * 80u + lid % 16u;
  let am0 = m0 + 0u;
  let am1 = m0 + 1u;
  let am2 = m0 + 2u;
  let am3 = m0 + 3u;
  let am4 = m0 + 4u;
  let am5 = m0 + 5u;
  let am6 = m0 + 6u;
  let am7 = m0 + 7u;
  let bn0 = min(n0 + 0u, 143u);
  let bn1 = min(n0 + 16u, 143u);
  let bn2 = min(n0 + 32u, 143u);
  let bn3 = min(n0 + 48u, 143u);
  let bn4 = min(n0 + 64u, 143u);
  var acc0_0 = 0.0;
  var acc0_1 = 0.0;
  var acc0_2 = 0.0;
  var acc0_3 = 0.0;
  var acc0_4 = 0.0;
  var acc1_0 = 0.0;
  var acc1_1 = 0.0;
  var acc1_2 = 0.0;
  var acc1_3 = 0.0;
  var acc1_4 = 0.0;
  var acc2_0 = 0.0;
  var acc2_1 = 0.0;
  var acc2_2 = 0.0;
  var acc2_3 = 0.0;
  var acc2_4 = 0.0;
  var acc3_0 = 0.0;
  var acc3_1 = 0.0;
  var acc3_2 = 0.0;
  var acc3_3 = 0.0;
  var acc3_4 = 0.0;
  var acc4_0 = 0.0;
  var acc4_1 = 0.0;
  var acc4_2 = 0.0;
  var acc4_3 = 0.0;
  var acc4_4 = 0.0;
  var acc5_0 = 0.0;
  var acc5_1 = 0.0;
  var acc5_2 = 0.0;
  var acc5_3 = 0.0;
  var acc5_4 = 0.0;
  var acc6_0 = 0.0;
  var acc6_1 = 0.0;
  var acc6_2 = 0.0;
  var acc6_3 = 0.0;
  var acc6_4 = 0.0;
  var acc7_0 = 0.0;
  var acc7_1 = 0.0;
  var acc7_2 = 0.0;
  var acc7_3 = 0.0;
  var acc7_4 = 0.0;
  let xb = bt * 1152u;
  let wr0 = am0 * 72u;
  let wr1 = am1 * 72u;
  let wr2 = am2 * 72u;
  let wr3 = am3 * 72u;
  let wr4 = am4 * 72u;
  let wr5 = am5 * 72u;
  let wr6 = am6 * 72u;
  let wr7 = am7 * 72u;
  let ih0 = i32((bn0 / 12u) * 1u) - 1i;
  let iw0 = i32((bn0 % 12u) * 1u) - 1i;
  let ih1 = i32((bn1 / 12u) * 1u) - 1i;
  let iw1 = i32((bn1 % 12u) * 1u) - 1i;
  let ih2 = i32((bn2 / 12u) * 1u) - 1i;
  let iw2 = i32((bn2 % 12u) * 1u) - 1i;
  let ih3 = i32((bn3 / 12u) * 1u) - 1i;
  let iw3 = i32((bn3 % 12u) * 1u) - 1i;
  let ih4 = i32((bn4 / 12u) * 1u) - 1i;
  let iw4 = i32((bn4 % 12u) * 1u) - 1i;
  for (var ci = 0u; ci < 8u; ci = ci + 1u) {
    let xc = xb + ci * 144u;
    let wc = ci * 9u;
    for (var r = 0u; r < 3u; r = r + 1u) {
      {
        let kk = wc + r * 3u + 0u;
        let a0 = get_w(wr0 + kk);
        let a1 = get_w(wr1 + kk);
        let a2 = get_w(wr2 + kk);
        let a3 = get_w(wr3 + kk);
        let a4 = get_w(wr4 + kk);
        let a5 = get_w(wr5 + kk);
        let a6 = get_w(wr6 + kk);
        let a7 = get_w(wr7 + kk);
        let b0 = pixel(xc, ih0 + i32(r * 1u), iw0 + i32(0u * 1u));
        let b1 = pixel(xc, ih1 + i32(r * 1u), iw1 + i32(0u * 1u));
        let b2 = pixel(xc, ih2 + i32(r * 1u), iw2 + i32(0u * 1u));
        let b3 = pixel(xc, ih3 + i32(r * 1u), iw3 + i32(0u * 1u));
        let b4 = pixel(xc, ih4 + i32(r * 1u), iw4 + i32(0u * 1u));
        acc0_0 = acc0_0 + a0 * b0;
        acc0_1 = acc0_1 + a0 * b1;
        acc0_2 = acc0_2 + a0 * b2;
        acc0_3 = acc0_3 + a0 * b3;
        acc0_4 = acc0_4 + a0 * b4;
        acc1_0 = acc1_0 + a1 * b0;
        acc1_1 = acc1_1 + a1 * b1;
        acc1_2 = acc1_2 + a1 * b2;
        acc1_3 = acc1_3 + a1 * b3;
        acc1_4 = acc1_4 + a1 * b4;
        acc2_0 = acc2_0 + a2 * b0;
        acc2_1 = acc2_1 + a2 * b1;
        acc2_2 = acc2_2 + a2 * b2;
        acc2_3 = acc2_3 + a2 * b3;
        acc2_4 = acc2_4 + a2 * b4;
        acc3_0 = acc3_0 + a3 * b0;
        acc3_1 = acc3_1 + a3 * b1;
        acc3_2 = acc3_2 + a3 * b2;
        acc3_3 = acc3_3 + a3 * b3;
        acc3_4 = acc3_4 + a3 * b4;
        acc4_0 = acc4_0 + a4 * b0;
        acc4_1 = acc4_1 + a4 * b1;
        acc4_2 = acc4_2 + a4 * b2;
        acc4_3 = acc4_3 + a4 * b3;
        acc4_4 = acc4_4 + a4 * b4;
        acc5_0 = acc5_0 + a5 * b0;
        acc5_1 = acc5_1 + a5 * b1;
        acc5_2 = acc5_2 + a5 * b2;
        acc5_3 = acc5_3 + a5 * b3;
        acc5_4 = acc5_4 + a5 * b4;
        acc6_0 = acc6_0 + a6 * b0;
        acc6_1 = acc6_1 + a6 * b1;
        acc6_2 = acc6_2 + a6 * b2;
        acc6_3 = acc6_3 + a6 * b3;
        acc6_4 = acc6_4 + a6 * b4;
        acc7_0 = acc7_0 + a7 * b0;
        acc7_1 = acc7_1 + a7 * b1;
        acc7_2 = acc7_2 + a7 * b2;
        acc7_3 = acc7_3 + a7 * b3;
        acc7_4 = acc7_4 + a7 * b4;
      }
      {
        let kk = wc + r * 3u + 1u;
        let a0 = get_w(wr0 + kk);
        let a1 = get_w(wr1 + kk);
        let a2 = get_w(wr2 + kk);
        let a3 = get_w(wr3 + kk);
        let a4 = get_w(wr4 + kk);
        let a5 = get_w(wr5 + kk);
        let a6 = get_w(wr6 + kk);
        let a7 = get_w(wr7 + kk);
        let b0 = pixel(xc, ih0 + i32(r * 1u), iw0 + i32(1u * 1u));
        let b1 = pixel(xc, ih1 + i32(r * 1u), iw1 + i32(1u * 1u));
        let b2 = pixel(xc, ih2 + i32(r * 1u), iw2 + i32(1u * 1u));
        let b3 = pixel(xc, ih3 + i32(r * 1u), iw3 + i32(1u * 1u));
        let b4 = pixel(xc, ih4 + i32(r * 1u), iw4 + i32(1u * 1u));
        acc0_0 = acc0_0 + a0 * b0;
        acc0_1 = acc0_1 + a0 * b1;
        acc0_2 = acc0_2 + a0 * b2;
        acc0_3 = acc0_3 + a0 * b3;
        acc0_4 = acc0_4 + a0 * b4;
        acc1_0 = acc1_0 + a1 * b0;
        acc1_1 = acc1_1 + a1 * b1;
        acc1_2 = acc1_2 + a1 * b2;
        acc1_3 = acc1_3 + a1 * b3;
        acc1_4 = acc1_4 + a1 * b4;
        acc2_0 = acc2_0 + a2 * b0;
        acc2_1 = acc2_1 + a2 * b1;
        acc2_2 = acc2_2 + a2 * b2;
        acc2_3 = acc2_3 + a2 * b3;
        acc2_4 = acc2_4 + a2 * b4;
        acc3_0 = acc3_0 + a3 * b0;
        acc3_1 = acc3_1 + a3 * b1;
        acc3_2 = acc3_2 + a3 * b2;
        acc3_3 = acc3_3 + a3 * b3;
        acc3_4 = acc3_4 + a3 * b4;
        acc4_0 = acc4_0 + a4 * b0;
        acc4_1 = acc4_1 + a4 * b1;
        acc4_2 = acc4_2 + a4 * b2;
        acc4_3 = acc4_3 + a4 * b3;
        acc4_4 = acc4_4 + a4 * b4;
        acc5_0 = acc5_0 + a5 * b0;
        acc5_1 = acc5_1 + a5 * b1;
        acc5_2 = acc5_2 + a5 * b2;
        acc5_3 = acc5_3 + a5 * b3;
        acc5_4 = acc5_4 + a5 * b4;
        acc6_0 = acc6_0 + a6 * b0;
        acc6_1 = acc6_1 + a6 * b1;
        acc6_2 = acc6_2 + a6 * b2;
        acc6_3 = acc6_3 + a6 * b3;
        acc6_4 = acc6_4 + a6 * b4;
        acc7_0 = acc7_0 + a7 * b0;
        acc7_1 = acc7_1 + a7 * b1;
        acc7_2 = acc7_2 + a7 * b2;
        acc7_3 = acc7_3 + a7 * b3;
        acc7_4 = acc7_4 + a7 * b4;
      }
      {
        let kk = wc + r * 3u + 2u;
        let a0 = get_w(wr0 + kk);
        let a1 = get_w(wr1 + kk);
        let a2 = get_w(wr2 + kk);
        let a3 = get_w(wr3 + kk);
        let a4 = get_w(wr4 + kk);
        let a5 = get_w(wr5 + kk);
        let a6 = get_w(wr6 + kk);
        let a7 = get_w(wr7 + kk);
        let b0 = pixel(xc, ih0 + i32(r * 1u), iw0 + i32(2u * 1u));
        let b1 = pixel(xc, ih1 + i32(r * 1u), iw1 + i32(2u * 1u));
        let b2 = pixel(xc, ih2 + i32(r * 1u), iw2 + i32(2u * 1u));
        let b3 = pixel(xc, ih3 + i32(r * 1u), iw3 + i32(2u * 1u));
        let b4 = pixel(xc, ih4 + i32(r * 1u), iw4 + i32(2u * 1u));
        acc0_0 = acc0_0 + a0 * b0;
        acc0_1 = acc0_1 + a0 * b1;
        acc0_2 = acc0_2 + a0 * b2;
        acc0_3 = acc0_3 + a0 * b3;
        acc0_4 = acc0_4 + a0 * b4;
        acc1_0 = acc1_0 + a1 * b0;
        acc1_1 = acc1_1 + a1 * b1;
        acc1_2 = acc1_2 + a1 * b2;
        acc1_3 = acc1_3 + a1 * b3;
        acc1_4 = acc1_4 + a1 * b4;
        acc2_0 = acc2_0 + a2 * b0;
        acc2_1 = acc2_1 + a2 * b1;
        acc2_2 = acc2_2 + a2 * b2;
        acc2_3 = acc2_3 + a2 * b3;
        acc2_4 = acc2_4 + a2 * b4;
        acc3_0 = acc3_0 + a3 * b0;
        acc3_1 = acc3_1 + a3 * b1;
        acc3_2 = acc3_2 + a3 * b2;
        acc3_3 = acc3_3 + a3 * b3;
        acc3_4 = acc3_4 + a3 * b4;
        acc4_0 = acc4_0 + a4 * b0;
        acc4_1 = acc4_1 + a4 * b1;
        acc4_2 = acc4_2 + a4 * b2;
        acc4_3 = acc4_3 + a4 * b3;
        acc4_4 = acc4_4 + a4 * b4;
        acc5_0 = acc5_0 + a5 * b0;
        acc5_1 = acc5_1 + a5 * b1;
        acc5_2 = acc5_2 + a5 * b2;
        acc5_3 = acc5_3 + a5 * b3;
        acc5_4 = acc5_4 + a5 * b4;
        acc6_0 = acc6_0 + a6 * b0;
        acc6_1 = acc6_1 + a6 * b1;
        acc6_2 = acc6_2 + a6 * b2;
        acc6_3 = acc6_3 + a6 * b3;
        acc6_4 = acc6_4 + a6 * b4;
        acc7_0 = acc7_0 + a7 * b0;
        acc7_1 = acc7_1 + a7 * b1;
        acc7_2 = acc7_2 + a7 * b2;
        acc7_3 = acc7_3 + a7 * b3;
        acc7_4 = acc7_4 + a7 * b4;
      }
    }
  }
  var accs = array<f32, 40>(acc0_0, acc0_1, acc0_2, acc0_3, acc0_4, acc1_0, acc1_1, acc1_2, acc1_3, acc1_4, acc2_0, acc2_1, acc2_2, acc2_3, acc2_4, acc3_0, acc3_1, acc3_2, acc3_3, acc3_4, acc4_0, acc4_1, acc4_2, acc4_3, acc4_4, acc5_0, acc5_1, acc5_2, acc5_3, acc5_4, acc6_0, acc6_1, acc6_2, acc6_3, acc6_4, acc7_0, acc7_1, acc7_2, acc7_3, acc7_4);
  for (var r = 0u; r < 8u; r = r + 1u) {
    let m = m0 + r;
    for (var q = 0u; q < 5u; q = q + 1u) {
      let n = n0 + q * 16u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, accs[r * 5u + q] + get_bias(m));
      }
    }
  }
}
