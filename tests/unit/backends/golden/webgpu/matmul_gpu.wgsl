@group(0) @binding(0) var<storage, read_write> buf0: array<f32, 3600>;
@group(0) @binding(1) var<storage, read> buf1: array<f32, 2880>;
@group(0) @binding(2) var<storage, read> buf2: array<f32, 40>;
@group(0) @binding(3) var<storage, read_write> buf3: array<f32, 2000>;
fn get_a(i: u32) -> f32 { return buf0[i]; }
fn get_b(i: u32) -> f32 { return buf1[i]; }
fn get_extra1(i: u32) -> f32 { return buf2[i]; }
fn set_y(i: u32, v: f32) { buf3[i] = v; }
fn store_y(i: u32, x: f32) {
  let c0 = i / 2000u;
  let c1 = (i / 40u) % 50u;
  let c2 = (i / 1u) % 40u;
  let e0 = x;
  let e1 = get_extra1(c2 * 1u);
  let e2 = e0 + e1;
  set_y(i, e2);
}
var<workgroup> As: array<f32, 512>;
var<workgroup> Bs: array<f32, 512>;
@compute @workgroup_size(64)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bt = wid.z;
  let m0 = wid.y * 32u;
  let n0 = wid.x * 32u;
  let tx = lid % 8u;
  let ty = lid / 8u;
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
      let gar0 = min((m0 + ar0), 49u);
      let gak0 = min((k0 + ak0), 71u);
      As[ak0 * 32u + ar0] = select(0.0, get_a(0u + gar0 * 72u + gak0), ((m0 + ar0) < 50u) & ((k0 + ak0) < 72u));
    }
    {
      let ae1 = lid + 64u;
      let ak1 = ae1 % 16u;
      let ar1 = ae1 / 16u;
      let gar1 = min((m0 + ar1), 49u);
      let gak1 = min((k0 + ak1), 71u);
      As[ak1 * 32u + ar1] = select(0.0, get_a(0u + gar1 * 72u + gak1), ((m0 + ar1) < 50u) & ((k0 + ak1) < 72u));
    }
    {
      let ae2 = lid + 128u;
      let ak2 = ae2 % 16u;
      let ar2 = ae2 / 16u;
      let gar2 = min((m0 + ar2), 49u);
      let gak2 = min((k0 + ak2), 71u);
      As[ak2 * 32u + ar2] = select(0.0, get_a(0u + gar2 * 72u + gak2), ((m0 + ar2) < 50u) & ((k0 + ak2) < 72u));
    }
    {
      let ae3 = lid + 192u;
      let ak3 = ae3 % 16u;
      let ar3 = ae3 / 16u;
      let gar3 = min((m0 + ar3), 49u);
      let gak3 = min((k0 + ak3), 71u);
      As[ak3 * 32u + ar3] = select(0.0, get_a(0u + gar3 * 72u + gak3), ((m0 + ar3) < 50u) & ((k0 + ak3) < 72u));
    }
    {
      let ae4 = lid + 256u;
      let ak4 = ae4 % 16u;
      let ar4 = ae4 / 16u;
      let gar4 = min((m0 + ar4), 49u);
      let gak4 = min((k0 + ak4), 71u);
      As[ak4 * 32u + ar4] = select(0.0, get_a(0u + gar4 * 72u + gak4), ((m0 + ar4) < 50u) & ((k0 + ak4) < 72u));
    }
    {
      let ae5 = lid + 320u;
      let ak5 = ae5 % 16u;
      let ar5 = ae5 / 16u;
      let gar5 = min((m0 + ar5), 49u);
      let gak5 = min((k0 + ak5), 71u);
      As[ak5 * 32u + ar5] = select(0.0, get_a(0u + gar5 * 72u + gak5), ((m0 + ar5) < 50u) & ((k0 + ak5) < 72u));
    }
    {
      let ae6 = lid + 384u;
      let ak6 = ae6 % 16u;
      let ar6 = ae6 / 16u;
      let gar6 = min((m0 + ar6), 49u);
      let gak6 = min((k0 + ak6), 71u);
      As[ak6 * 32u + ar6] = select(0.0, get_a(0u + gar6 * 72u + gak6), ((m0 + ar6) < 50u) & ((k0 + ak6) < 72u));
    }
    {
      let ae7 = lid + 448u;
      let ak7 = ae7 % 16u;
      let ar7 = ae7 / 16u;
      let gar7 = min((m0 + ar7), 49u);
      let gak7 = min((k0 + ak7), 71u);
      As[ak7 * 32u + ar7] = select(0.0, get_a(0u + gar7 * 72u + gak7), ((m0 + ar7) < 50u) & ((k0 + ak7) < 72u));
    }
    {
      let be0 = lid + 0u;
      let br0 = be0 % 32u;
      let bk0 = be0 / 32u;
      let gbr0 = min((n0 + br0), 39u);
      let gbk0 = min((k0 + bk0), 71u);
      Bs[bk0 * 32u + br0] = select(0.0, get_b(0u + gbk0 * 40u + gbr0), ((n0 + br0) < 40u) & ((k0 + bk0) < 72u));
    }
    {
      let be1 = lid + 64u;
      let br1 = be1 % 32u;
      let bk1 = be1 / 32u;
      let gbr1 = min((n0 + br1), 39u);
      let gbk1 = min((k0 + bk1), 71u);
      Bs[bk1 * 32u + br1] = select(0.0, get_b(0u + gbk1 * 40u + gbr1), ((n0 + br1) < 40u) & ((k0 + bk1) < 72u));
    }
    {
      let be2 = lid + 128u;
      let br2 = be2 % 32u;
      let bk2 = be2 / 32u;
      let gbr2 = min((n0 + br2), 39u);
      let gbk2 = min((k0 + bk2), 71u);
      Bs[bk2 * 32u + br2] = select(0.0, get_b(0u + gbk2 * 40u + gbr2), ((n0 + br2) < 40u) & ((k0 + bk2) < 72u));
    }
    {
      let be3 = lid + 192u;
      let br3 = be3 % 32u;
      let bk3 = be3 / 32u;
      let gbr3 = min((n0 + br3), 39u);
      let gbk3 = min((k0 + bk3), 71u);
      Bs[bk3 * 32u + br3] = select(0.0, get_b(0u + gbk3 * 40u + gbr3), ((n0 + br3) < 40u) & ((k0 + bk3) < 72u));
    }
    {
      let be4 = lid + 256u;
      let br4 = be4 % 32u;
      let bk4 = be4 / 32u;
      let gbr4 = min((n0 + br4), 39u);
      let gbk4 = min((k0 + bk4), 71u);
      Bs[bk4 * 32u + br4] = select(0.0, get_b(0u + gbk4 * 40u + gbr4), ((n0 + br4) < 40u) & ((k0 + bk4) < 72u));
    }
    {
      let be5 = lid + 320u;
      let br5 = be5 % 32u;
      let bk5 = be5 / 32u;
      let gbr5 = min((n0 + br5), 39u);
      let gbk5 = min((k0 + bk5), 71u);
      Bs[bk5 * 32u + br5] = select(0.0, get_b(0u + gbk5 * 40u + gbr5), ((n0 + br5) < 40u) & ((k0 + bk5) < 72u));
    }
    {
      let be6 = lid + 384u;
      let br6 = be6 % 32u;
      let bk6 = be6 / 32u;
      let gbr6 = min((n0 + br6), 39u);
      let gbk6 = min((k0 + bk6), 71u);
      Bs[bk6 * 32u + br6] = select(0.0, get_b(0u + gbk6 * 40u + gbr6), ((n0 + br6) < 40u) & ((k0 + bk6) < 72u));
    }
    {
      let be7 = lid + 448u;
      let br7 = be7 % 32u;
      let bk7 = be7 / 32u;
      let gbr7 = min((n0 + br7), 39u);
      let gbk7 = min((k0 + bk7), 71u);
      Bs[bk7 * 32u + br7] = select(0.0, get_b(0u + gbk7 * 40u + gbr7), ((n0 + br7) < 40u) & ((k0 + bk7) < 72u));
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk = kk + 1u) {
      let a0 = As[kk * 32u + ty * 4u + 0u];
      let a1 = As[kk * 32u + ty * 4u + 1u];
      let a2 = As[kk * 32u + ty * 4u + 2u];
      let a3 = As[kk * 32u + ty * 4u + 3u];
      let b0 = Bs[kk * 32u + tx + 0u];
      let b1 = Bs[kk * 32u + tx + 8u];
      let b2 = Bs[kk * 32u + tx + 16u];
      let b3 = Bs[kk * 32u + tx + 24u];
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
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc0_0);
      }
    }
    {
      let n = n0 + tx + 8u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc0_1);
      }
    }
    {
      let n = n0 + tx + 16u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc0_2);
      }
    }
    {
      let n = n0 + tx + 24u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc0_3);
      }
    }
  }
  {
    let m = m0 + ty * 4u + 1u;
    {
      let n = n0 + tx + 0u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc1_0);
      }
    }
    {
      let n = n0 + tx + 8u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc1_1);
      }
    }
    {
      let n = n0 + tx + 16u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc1_2);
      }
    }
    {
      let n = n0 + tx + 24u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc1_3);
      }
    }
  }
  {
    let m = m0 + ty * 4u + 2u;
    {
      let n = n0 + tx + 0u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc2_0);
      }
    }
    {
      let n = n0 + tx + 8u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc2_1);
      }
    }
    {
      let n = n0 + tx + 16u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc2_2);
      }
    }
    {
      let n = n0 + tx + 24u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc2_3);
      }
    }
  }
  {
    let m = m0 + ty * 4u + 3u;
    {
      let n = n0 + tx + 0u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc3_0);
      }
    }
    {
      let n = n0 + tx + 8u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc3_1);
      }
    }
    {
      let n = n0 + tx + 16u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc3_2);
      }
    }
    {
      let n = n0 + tx + 24u;
      if ((m < 50u) & (n < 40u)) {
        store_y((bt * 50u + m) * 40u + n, acc3_3);
      }
    }
  }
}
