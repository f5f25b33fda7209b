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
fn load_x(bt: u32, k: u32, p: u32) -> f32 {
  let c = k / 9u;
  let r = (k / 3u) % 3u;
  let s = k % 3u;
  let ih = i32((p / 12u) * 1u + r * 1u) - 1i;
  let iw = i32((p % 12u) * 1u + s * 1u) - 1i;
  return pixel(bt * 1152u + c * 144u, ih, iw);
}
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
var<workgroup> As: array<f32, 256>;
var<workgroup> Bs: array<f32, 1024>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bt = wid.z;
  let m0 = wid.y * 16u;
  let n0 = wid.x * 64u;
  let tx = lid % 16u;
  let ty = lid / 16u;
  var acc0_0 = 0.0;
  var acc0_1 = 0.0;
  var acc0_2 = 0.0;
  var acc0_3 = 0.0;
  var acc1_0 = 0.0;
  var acc1_1 = 0.0;
  var acc1_2 = 0.0;
  var acc1_3 = 0.0;
  var acc2_0 = 0.0;
  var acc2_1 = 0.0;
  var acc2_2 = 0.0;
  var acc2_3 = 0.0;
  var acc3_0 = 0.0;
  var acc3_1 = 0.0;
  var acc3_2 = 0.0;
  var acc3_3 = 0.0;
  for (var k0 = 0u; k0 < 72u; k0 = k0 + 16u) {
    {
      let ae0 = lid + 0u;
      let ak0 = ae0 % 16u;
      let ar0 = ae0 / 16u;
      let gak0 = min((k0 + ak0), 71u);
      As[ak0 * 16u + ar0] = select(0.0, get_w(((m0 + ar0)) * 72u + gak0), ((k0 + ak0) < 72u));
    }
    {
      let ae1 = lid + 64u;
      let ak1 = ae1 % 16u;
      let ar1 = ae1 / 16u;
      let gak1 = min((k0 + ak1), 71u);
      As[ak1 * 16u + ar1] = select(0.0, get_w(((m0 + ar1)) * 72u + gak1), ((k0 + ak1) < 72u));
    }
    {
      let ae2 = lid + 128u;
      let ak2 = ae2 % 16u;
      let ar2 = ae2 / 16u;
      let gak2 = min((k0 + ak2), 71u);
      As[ak2 * 16u + ar2] = select(0.0, get_w(((m0 + ar2)) * 72u + gak2), ((k0 + ak2) < 72u));
    }
    {
      let ae3 = lid + 192u;
      let ak3 = ae3 % 16u;
      let ar3 = ae3 / 16u;
      let gak3 = min((k0 + ak3), 71u);
      As[ak3 * 16u + ar3] = select(0.0, get_w(((m0 + ar3)) * 72u + gak3), ((k0 + ak3) < 72u));
    }
    {
      let be0 = lid + 0u;
      let br0 = be0 % 64u;
      let bk0 = be0 / 64u;
      let gbr0 = min((n0 + br0), 143u);
      let gbk0 = min((k0 + bk0), 71u);
      Bs[bk0 * 64u + br0] = select(0.0, load_x(bt, gbk0, gbr0), ((n0 + br0) < 144u) & ((k0 + bk0) < 72u));
    }
    {
      let be1 = lid + 64u;
      let br1 = be1 % 64u;
      let bk1 = be1 / 64u;
      let gbr1 = min((n0 + br1), 143u);
      let gbk1 = min((k0 + bk1), 71u);
      Bs[bk1 * 64u + br1] = select(0.0, load_x(bt, gbk1, gbr1), ((n0 + br1) < 144u) & ((k0 + bk1) < 72u));
    }
    {
      let be2 = lid + 128u;
      let br2 = be2 % 64u;
      let bk2 = be2 / 64u;
      let gbr2 = min((n0 + br2), 143u);
      let gbk2 = min((k0 + bk2), 71u);
      Bs[bk2 * 64u + br2] = select(0.0, load_x(bt, gbk2, gbr2), ((n0 + br2) < 144u) & ((k0 + bk2) < 72u));
    }
    {
      let be3 = lid + 192u;
      let br3 = be3 % 64u;
      let bk3 = be3 / 64u;
      let gbr3 = min((n0 + br3), 143u);
      let gbk3 = min((k0 + bk3), 71u);
      Bs[bk3 * 64u + br3] = select(0.0, load_x(bt, gbk3, gbr3), ((n0 + br3) < 144u) & ((k0 + bk3) < 72u));
    }
    {
      let be4 = lid + 256u;
      let br4 = be4 % 64u;
      let bk4 = be4 / 64u;
      let gbr4 = min((n0 + br4), 143u);
      let gbk4 = min((k0 + bk4), 71u);
      Bs[bk4 * 64u + br4] = select(0.0, load_x(bt, gbk4, gbr4), ((n0 + br4) < 144u) & ((k0 + bk4) < 72u));
    }
    {
      let be5 = lid + 320u;
      let br5 = be5 % 64u;
      let bk5 = be5 / 64u;
      let gbr5 = min((n0 + br5), 143u);
      let gbk5 = min((k0 + bk5), 71u);
      Bs[bk5 * 64u + br5] = select(0.0, load_x(bt, gbk5, gbr5), ((n0 + br5) < 144u) & ((k0 + bk5) < 72u));
    }
    {
      let be6 = lid + 384u;
      let br6 = be6 % 64u;
      let bk6 = be6 / 64u;
      let gbr6 = min((n0 + br6), 143u);
      let gbk6 = min((k0 + bk6), 71u);
      Bs[bk6 * 64u + br6] = select(0.0, load_x(bt, gbk6, gbr6), ((n0 + br6) < 144u) & ((k0 + bk6) < 72u));
    }
    {
      let be7 = lid + 448u;
      let br7 = be7 % 64u;
      let bk7 = be7 / 64u;
      let gbr7 = min((n0 + br7), 143u);
      let gbk7 = min((k0 + bk7), 71u);
      Bs[bk7 * 64u + br7] = select(0.0, load_x(bt, gbk7, gbr7), ((n0 + br7) < 144u) & ((k0 + bk7) < 72u));
    }
    {
      let be8 = lid + 512u;
      let br8 = be8 % 64u;
      let bk8 = be8 / 64u;
      let gbr8 = min((n0 + br8), 143u);
      let gbk8 = min((k0 + bk8), 71u);
      Bs[bk8 * 64u + br8] = select(0.0, load_x(bt, gbk8, gbr8), ((n0 + br8) < 144u) & ((k0 + bk8) < 72u));
    }
    {
      let be9 = lid + 576u;
      let br9 = be9 % 64u;
      let bk9 = be9 / 64u;
      let gbr9 = min((n0 + br9), 143u);
      let gbk9 = min((k0 + bk9), 71u);
      Bs[bk9 * 64u + br9] = select(0.0, load_x(bt, gbk9, gbr9), ((n0 + br9) < 144u) & ((k0 + bk9) < 72u));
    }
    {
      let be10 = lid + 640u;
      let br10 = be10 % 64u;
      let bk10 = be10 / 64u;
      let gbr10 = min((n0 + br10), 143u);
      let gbk10 = min((k0 + bk10), 71u);
      Bs[bk10 * 64u + br10] = select(0.0, load_x(bt, gbk10, gbr10), ((n0 + br10) < 144u) & ((k0 + bk10) < 72u));
    }
    {
      let be11 = lid + 704u;
      let br11 = be11 % 64u;
      let bk11 = be11 / 64u;
      let gbr11 = min((n0 + br11), 143u);
      let gbk11 = min((k0 + bk11), 71u);
      Bs[bk11 * 64u + br11] = select(0.0, load_x(bt, gbk11, gbr11), ((n0 + br11) < 144u) & ((k0 + bk11) < 72u));
    }
    {
      let be12 = lid + 768u;
      let br12 = be12 % 64u;
      let bk12 = be12 / 64u;
      let gbr12 = min((n0 + br12), 143u);
      let gbk12 = min((k0 + bk12), 71u);
      Bs[bk12 * 64u + br12] = select(0.0, load_x(bt, gbk12, gbr12), ((n0 + br12) < 144u) & ((k0 + bk12) < 72u));
    }
    {
      let be13 = lid + 832u;
      let br13 = be13 % 64u;
      let bk13 = be13 / 64u;
      let gbr13 = min((n0 + br13), 143u);
      let gbk13 = min((k0 + bk13), 71u);
      Bs[bk13 * 64u + br13] = select(0.0, load_x(bt, gbk13, gbr13), ((n0 + br13) < 144u) & ((k0 + bk13) < 72u));
    }
    {
      let be14 = lid + 896u;
      let br14 = be14 % 64u;
      let bk14 = be14 / 64u;
      let gbr14 = min((n0 + br14), 143u);
      let gbk14 = min((k0 + bk14), 71u);
      Bs[bk14 * 64u + br14] = select(0.0, load_x(bt, gbk14, gbr14), ((n0 + br14) < 144u) & ((k0 + bk14) < 72u));
    }
    {
      let be15 = lid + 960u;
      let br15 = be15 % 64u;
      let bk15 = be15 / 64u;
      let gbr15 = min((n0 + br15), 143u);
      let gbk15 = min((k0 + bk15), 71u);
      Bs[bk15 * 64u + br15] = select(0.0, load_x(bt, gbk15, gbr15), ((n0 + br15) < 144u) & ((k0 + bk15) < 72u));
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk = kk + 1u) {
      let a0 = As[kk * 16u + ty * 4u + 0u];
      let a1 = As[kk * 16u + ty * 4u + 1u];
      let a2 = As[kk * 16u + ty * 4u + 2u];
      let a3 = As[kk * 16u + ty * 4u + 3u];
      let b0 = Bs[kk * 64u + tx + 0u];
      let b1 = Bs[kk * 64u + tx + 16u];
      let b2 = Bs[kk * 64u + tx + 32u];
      let b3 = Bs[kk * 64u + tx + 48u];
      acc0_0 = acc0_0 + a0 * b0;
      acc0_1 = acc0_1 + a0 * b1;
      acc0_2 = acc0_2 + a0 * b2;
      acc0_3 = acc0_3 + a0 * b3;
      acc1_0 = acc1_0 + a1 * b0;
      acc1_1 = acc1_1 + a1 * b1;
      acc1_2 = acc1_2 + a1 * b2;
      acc1_3 = acc1_3 + a1 * b3;
      acc2_0 = acc2_0 + a2 * b0;
      acc2_1 = acc2_1 + a2 * b1;
      acc2_2 = acc2_2 + a2 * b2;
      acc2_3 = acc2_3 + a2 * b3;
      acc3_0 = acc3_0 + a3 * b0;
      acc3_1 = acc3_1 + a3 * b1;
      acc3_2 = acc3_2 + a3 * b2;
      acc3_3 = acc3_3 + a3 * b3;
    }
    workgroupBarrier();
  }
  {
    let m = m0 + ty * 4u + 0u;
    {
      let n = n0 + tx + 0u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc0_0 + get_bias(m));
      }
    }
    {
      let n = n0 + tx + 16u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc0_1 + get_bias(m));
      }
    }
    {
      let n = n0 + tx + 32u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc0_2 + get_bias(m));
      }
    }
    {
      let n = n0 + tx + 48u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc0_3 + get_bias(m));
      }
    }
  }
  {
    let m = m0 + ty * 4u + 1u;
    {
      let n = n0 + tx + 0u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc1_0 + get_bias(m));
      }
    }
    {
      let n = n0 + tx + 16u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc1_1 + get_bias(m));
      }
    }
    {
      let n = n0 + tx + 32u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc1_2 + get_bias(m));
      }
    }
    {
      let n = n0 + tx + 48u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc1_3 + get_bias(m));
      }
    }
  }
  {
    let m = m0 + ty * 4u + 2u;
    {
      let n = n0 + tx + 0u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc2_0 + get_bias(m));
      }
    }
    {
      let n = n0 + tx + 16u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc2_1 + get_bias(m));
      }
    }
    {
      let n = n0 + tx + 32u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc2_2 + get_bias(m));
      }
    }
    {
      let n = n0 + tx + 48u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc2_3 + get_bias(m));
      }
    }
  }
  {
    let m = m0 + ty * 4u + 3u;
    {
      let n = n0 + tx + 0u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc3_0 + get_bias(m));
      }
    }
    {
      let n = n0 + tx + 16u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc3_1 + get_bias(m));
      }
    }
    {
      let n = n0 + tx + 32u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc3_2 + get_bias(m));
      }
    }
    {
      let n = n0 + tx + 48u;
      if ((n < 144u)) {
        store_y((bt * 16u + m) * 144u + n, acc3_3 + get_bias(m));
      }
    }
  }
}
