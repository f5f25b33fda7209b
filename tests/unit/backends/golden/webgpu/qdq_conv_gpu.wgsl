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
var<workgroup> As: array<u32, 256>;
var<workgroup> Bs: array<u32, 1024>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bt = wid.z;
  let m0 = wid.y * 16u;
  let n0 = wid.x * 64u;
  let tx = lid % 16u;
  let ty = lid / 16u;
  var acc0_0 = 0i;
  var acc0_1 = 0i;
  var acc0_2 = 0i;
  var acc0_3 = 0i;
  var acc1_0 = 0i;
  var acc1_1 = 0i;
  var acc1_2 = 0i;
  var acc1_3 = 0i;
  var acc2_0 = 0i;
  var acc2_1 = 0i;
  var acc2_2 = 0i;
  var acc2_3 = 0i;
  var acc3_0 = 0i;
  var acc3_1 = 0i;
  var acc3_2 = 0i;
  var acc3_3 = 0i;
  for (var k0 = 0u; k0 < 18u; k0 = k0 + 16u) {
    {
      let ae0 = lid + 0u;
      let ak0 = ae0 % 16u;
      let ar0 = ae0 / 16u;
      let gar0 = min((m0 + ar0), 7u);
      let gak0 = min((k0 + ak0), 17u);
      As[ak0 * 16u + ar0] = select(0u, bitcast<u32>(get_wq(gar0 * 18u + gak0)), ((m0 + ar0) < 8u) & ((k0 + ak0) < 18u));
    }
    {
      let ae1 = lid + 64u;
      let ak1 = ae1 % 16u;
      let ar1 = ae1 / 16u;
      let gar1 = min((m0 + ar1), 7u);
      let gak1 = min((k0 + ak1), 17u);
      As[ak1 * 16u + ar1] = select(0u, bitcast<u32>(get_wq(gar1 * 18u + gak1)), ((m0 + ar1) < 8u) & ((k0 + ak1) < 18u));
    }
    {
      let ae2 = lid + 128u;
      let ak2 = ae2 % 16u;
      let ar2 = ae2 / 16u;
      let gar2 = min((m0 + ar2), 7u);
      let gak2 = min((k0 + ak2), 17u);
      As[ak2 * 16u + ar2] = select(0u, bitcast<u32>(get_wq(gar2 * 18u + gak2)), ((m0 + ar2) < 8u) & ((k0 + ak2) < 18u));
    }
    {
      let ae3 = lid + 192u;
      let ak3 = ae3 % 16u;
      let ar3 = ae3 / 16u;
      let gar3 = min((m0 + ar3), 7u);
      let gak3 = min((k0 + ak3), 17u);
      As[ak3 * 16u + ar3] = select(0u, bitcast<u32>(get_wq(gar3 * 18u + gak3)), ((m0 + ar3) < 8u) & ((k0 + ak3) < 18u));
    }
    {
      let be0 = lid + 0u;
      let br0 = be0 % 64u;
      let bk0 = be0 / 64u;
      let gbr0 = min((n0 + br0), 24u);
      let gbk0 = min((k0 + bk0), 17u);
      Bs[bk0 * 64u + br0] = select(0u, load_x(bt, gbk0, gbr0), ((n0 + br0) < 25u) & ((k0 + bk0) < 18u));
    }
    {
      let be1 = lid + 64u;
      let br1 = be1 % 64u;
      let bk1 = be1 / 64u;
      let gbr1 = min((n0 + br1), 24u);
      let gbk1 = min((k0 + bk1), 17u);
      Bs[bk1 * 64u + br1] = select(0u, load_x(bt, gbk1, gbr1), ((n0 + br1) < 25u) & ((k0 + bk1) < 18u));
    }
    {
      let be2 = lid + 128u;
      let br2 = be2 % 64u;
      let bk2 = be2 / 64u;
      let gbr2 = min((n0 + br2), 24u);
      let gbk2 = min((k0 + bk2), 17u);
      Bs[bk2 * 64u + br2] = select(0u, load_x(bt, gbk2, gbr2), ((n0 + br2) < 25u) & ((k0 + bk2) < 18u));
    }
    {
      let be3 = lid + 192u;
      let br3 = be3 % 64u;
      let bk3 = be3 / 64u;
      let gbr3 = min((n0 + br3), 24u);
      let gbk3 = min((k0 + bk3), 17u);
      Bs[bk3 * 64u + br3] = select(0u, load_x(bt, gbk3, gbr3), ((n0 + br3) < 25u) & ((k0 + bk3) < 18u));
    }
    {
      let be4 = lid + 256u;
      let br4 = be4 % 64u;
      let bk4 = be4 / 64u;
      let gbr4 = min((n0 + br4), 24u);
      let gbk4 = min((k0 + bk4), 17u);
      Bs[bk4 * 64u + br4] = select(0u, load_x(bt, gbk4, gbr4), ((n0 + br4) < 25u) & ((k0 + bk4) < 18u));
    }
    {
      let be5 = lid + 320u;
      let br5 = be5 % 64u;
      let bk5 = be5 / 64u;
      let gbr5 = min((n0 + br5), 24u);
      let gbk5 = min((k0 + bk5), 17u);
      Bs[bk5 * 64u + br5] = select(0u, load_x(bt, gbk5, gbr5), ((n0 + br5) < 25u) & ((k0 + bk5) < 18u));
    }
    {
      let be6 = lid + 384u;
      let br6 = be6 % 64u;
      let bk6 = be6 / 64u;
      let gbr6 = min((n0 + br6), 24u);
      let gbk6 = min((k0 + bk6), 17u);
      Bs[bk6 * 64u + br6] = select(0u, load_x(bt, gbk6, gbr6), ((n0 + br6) < 25u) & ((k0 + bk6) < 18u));
    }
    {
      let be7 = lid + 448u;
      let br7 = be7 % 64u;
      let bk7 = be7 / 64u;
      let gbr7 = min((n0 + br7), 24u);
      let gbk7 = min((k0 + bk7), 17u);
      Bs[bk7 * 64u + br7] = select(0u, load_x(bt, gbk7, gbr7), ((n0 + br7) < 25u) & ((k0 + bk7) < 18u));
    }
    {
      let be8 = lid + 512u;
      let br8 = be8 % 64u;
      let bk8 = be8 / 64u;
      let gbr8 = min((n0 + br8), 24u);
      let gbk8 = min((k0 + bk8), 17u);
      Bs[bk8 * 64u + br8] = select(0u, load_x(bt, gbk8, gbr8), ((n0 + br8) < 25u) & ((k0 + bk8) < 18u));
    }
    {
      let be9 = lid + 576u;
      let br9 = be9 % 64u;
      let bk9 = be9 / 64u;
      let gbr9 = min((n0 + br9), 24u);
      let gbk9 = min((k0 + bk9), 17u);
      Bs[bk9 * 64u + br9] = select(0u, load_x(bt, gbk9, gbr9), ((n0 + br9) < 25u) & ((k0 + bk9) < 18u));
    }
    {
      let be10 = lid + 640u;
      let br10 = be10 % 64u;
      let bk10 = be10 / 64u;
      let gbr10 = min((n0 + br10), 24u);
      let gbk10 = min((k0 + bk10), 17u);
      Bs[bk10 * 64u + br10] = select(0u, load_x(bt, gbk10, gbr10), ((n0 + br10) < 25u) & ((k0 + bk10) < 18u));
    }
    {
      let be11 = lid + 704u;
      let br11 = be11 % 64u;
      let bk11 = be11 / 64u;
      let gbr11 = min((n0 + br11), 24u);
      let gbk11 = min((k0 + bk11), 17u);
      Bs[bk11 * 64u + br11] = select(0u, load_x(bt, gbk11, gbr11), ((n0 + br11) < 25u) & ((k0 + bk11) < 18u));
    }
    {
      let be12 = lid + 768u;
      let br12 = be12 % 64u;
      let bk12 = be12 / 64u;
      let gbr12 = min((n0 + br12), 24u);
      let gbk12 = min((k0 + bk12), 17u);
      Bs[bk12 * 64u + br12] = select(0u, load_x(bt, gbk12, gbr12), ((n0 + br12) < 25u) & ((k0 + bk12) < 18u));
    }
    {
      let be13 = lid + 832u;
      let br13 = be13 % 64u;
      let bk13 = be13 / 64u;
      let gbr13 = min((n0 + br13), 24u);
      let gbk13 = min((k0 + bk13), 17u);
      Bs[bk13 * 64u + br13] = select(0u, load_x(bt, gbk13, gbr13), ((n0 + br13) < 25u) & ((k0 + bk13) < 18u));
    }
    {
      let be14 = lid + 896u;
      let br14 = be14 % 64u;
      let bk14 = be14 / 64u;
      let gbr14 = min((n0 + br14), 24u);
      let gbk14 = min((k0 + bk14), 17u);
      Bs[bk14 * 64u + br14] = select(0u, load_x(bt, gbk14, gbr14), ((n0 + br14) < 25u) & ((k0 + bk14) < 18u));
    }
    {
      let be15 = lid + 960u;
      let br15 = be15 % 64u;
      let bk15 = be15 / 64u;
      let gbr15 = min((n0 + br15), 24u);
      let gbk15 = min((k0 + bk15), 17u);
      Bs[bk15 * 64u + br15] = select(0u, load_x(bt, gbk15, gbr15), ((n0 + br15) < 25u) & ((k0 + bk15) < 18u));
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
      acc0_0 = acc0_0 + dot4(a0, b0);
      acc0_1 = acc0_1 + dot4(a0, b1);
      acc0_2 = acc0_2 + dot4(a0, b2);
      acc0_3 = acc0_3 + dot4(a0, b3);
      acc1_0 = acc1_0 + dot4(a1, b0);
      acc1_1 = acc1_1 + dot4(a1, b1);
      acc1_2 = acc1_2 + dot4(a1, b2);
      acc1_3 = acc1_3 + dot4(a1, b3);
      acc2_0 = acc2_0 + dot4(a2, b0);
      acc2_1 = acc2_1 + dot4(a2, b1);
      acc2_2 = acc2_2 + dot4(a2, b2);
      acc2_3 = acc2_3 + dot4(a2, b3);
      acc3_0 = acc3_0 + dot4(a3, b0);
      acc3_1 = acc3_1 + dot4(a3, b1);
      acc3_2 = acc3_2 + dot4(a3, b2);
      acc3_3 = acc3_3 + dot4(a3, b3);
    }
    workgroupBarrier();
  }
  {
    let m = m0 + ty * 4u + 0u;
    {
      let n = n0 + tx + 0u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc0_0 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
    {
      let n = n0 + tx + 16u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc0_1 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
    {
      let n = n0 + tx + 32u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc0_2 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
    {
      let n = n0 + tx + 48u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc0_3 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
  }
  {
    let m = m0 + ty * 4u + 1u;
    {
      let n = n0 + tx + 0u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc1_0 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
    {
      let n = n0 + tx + 16u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc1_1 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
    {
      let n = n0 + tx + 32u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc1_2 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
    {
      let n = n0 + tx + 48u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc1_3 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
  }
  {
    let m = m0 + ty * 4u + 2u;
    {
      let n = n0 + tx + 0u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc2_0 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
    {
      let n = n0 + tx + 16u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc2_1 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
    {
      let n = n0 + tx + 32u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc2_2 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
    {
      let n = n0 + tx + 48u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc2_3 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
  }
  {
    let m = m0 + ty * 4u + 3u;
    {
      let n = n0 + tx + 0u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc3_0 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
    {
      let n = n0 + tx + 16u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc3_1 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
    {
      let n = n0 + tx + 32u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc3_2 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
    {
      let n = n0 + tx + 48u;
      if ((m < 8u) & (n < 25u)) {
        store_y((bt * 8u + m) * 25u + n, f32((acc3_3 + 28i * i32(get_ch(8u + m)))) * get_ch(m) + get_ch(16u + m));
      }
    }
  }
}
