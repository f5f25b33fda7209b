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
var<workgroup> As: array<f32, 1024>;
var<workgroup> Bs: array<f32, 1024>;
var<workgroup> sums: array<f32, 768>;
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bt = wid.z;
  let m0 = wid.y * 16u;
  let n0 = wid.x * 16u;
  let sl = lid / 64u;
  let pl = lid % 64u;
  let tx = pl % 8u;
  let ty = pl / 8u;
  var acc0_0 = 0.0;
  var acc0_1 = 0.0;
  var acc1_0 = 0.0;
  var acc1_1 = 0.0;
  for (var k1 = 0u; k1 < 72u; k1 = k1 + 64u) {
    let k0 = k1 + sl * 16u;
    {
      let ae0 = pl + 0u;
      let ak0 = ae0 % 16u;
      let ar0 = ae0 / 16u;
      let gar0 = min((m0 + ar0), 49u);
      let gak0 = min((k0 + ak0), 71u);
      As[sl * 256u + ak0 * 16u + ar0] = select(0.0, get_a(0u + gar0 * 72u + gak0), ((m0 + ar0) < 50u) & ((k0 + ak0) < 72u));
    }
    {
      let ae1 = pl + 64u;
      let ak1 = ae1 % 16u;
      let ar1 = ae1 / 16u;
      let gar1 = min((m0 + ar1), 49u);
      let gak1 = min((k0 + ak1), 71u);
      As[sl * 256u + ak1 * 16u + ar1] = select(0.0, get_a(0u + gar1 * 72u + gak1), ((m0 + ar1) < 50u) & ((k0 + ak1) < 72u));
    }
    {
      let ae2 = pl + 128u;
      let ak2 = ae2 % 16u;
      let ar2 = ae2 / 16u;
      let gar2 = min((m0 + ar2), 49u);
      let gak2 = min((k0 + ak2), 71u);
      As[sl * 256u + ak2 * 16u + ar2] = select(0.0, get_a(0u + gar2 * 72u + gak2), ((m0 + ar2) < 50u) & ((k0 + ak2) < 72u));
    }
    {
      let ae3 = pl + 192u;
      let ak3 = ae3 % 16u;
      let ar3 = ae3 / 16u;
      let gar3 = min((m0 + ar3), 49u);
      let gak3 = min((k0 + ak3), 71u);
      As[sl * 256u + ak3 * 16u + ar3] = select(0.0, get_a(0u + gar3 * 72u + gak3), ((m0 + ar3) < 50u) & ((k0 + ak3) < 72u));
    }
    {
      let be0 = pl + 0u;
      let br0 = be0 % 16u;
      let bk0 = be0 / 16u;
      let gbr0 = min((n0 + br0), 39u);
      let gbk0 = min((k0 + bk0), 71u);
      Bs[sl * 256u + bk0 * 16u + br0] = select(0.0, get_b(0u + gbk0 * 40u + gbr0), ((n0 + br0) < 40u) & ((k0 + bk0) < 72u));
    }
    {
      let be1 = pl + 64u;
      let br1 = be1 % 16u;
      let bk1 = be1 / 16u;
      let gbr1 = min((n0 + br1), 39u);
      let gbk1 = min((k0 + bk1), 71u);
      Bs[sl * 256u + bk1 * 16u + br1] = select(0.0, get_b(0u + gbk1 * 40u + gbr1), ((n0 + br1) < 40u) & ((k0 + bk1) < 72u));
    }
    {
      let be2 = pl + 128u;
      let br2 = be2 % 16u;
      let bk2 = be2 / 16u;
      let gbr2 = min((n0 + br2), 39u);
      let gbk2 = min((k0 + bk2), 71u);
      Bs[sl * 256u + bk2 * 16u + br2] = select(0.0, get_b(0u + gbk2 * 40u + gbr2), ((n0 + br2) < 40u) & ((k0 + bk2) < 72u));
    }
    {
      let be3 = pl + 192u;
      let br3 = be3 % 16u;
      let bk3 = be3 / 16u;
      let gbr3 = min((n0 + br3), 39u);
      let gbk3 = min((k0 + bk3), 71u);
      Bs[sl * 256u + bk3 * 16u + br3] = select(0.0, get_b(0u + gbk3 * 40u + gbr3), ((n0 + br3) < 40u) & ((k0 + bk3) < 72u));
    }
    workgroupBarrier();
    for (var kk = 0u; kk < 16u; kk = kk + 1u) {
      let a0 = As[sl * 256u + kk * 16u + ty * 2u + 0u];
      let a1 = As[sl * 256u + kk * 16u + ty * 2u + 1u];
      let b0 = Bs[sl * 256u + kk * 16u + tx + 0u];
      let b1 = Bs[sl * 256u + kk * 16u + tx + 8u];
      acc0_0 = acc0_0 + a0 * b0;
      acc0_1 = acc0_1 + a0 * b1;
      acc1_0 = acc1_0 + a1 * b0;
      acc1_1 = acc1_1 + a1 * b1;
    }
    workgroupBarrier();
  }
  if (sl > 0u) {
    sums[((sl - 1u) * 64u + pl) * 4u + 0u] = acc0_0;
    sums[((sl - 1u) * 64u + pl) * 4u + 1u] = acc0_1;
    sums[((sl - 1u) * 64u + pl) * 4u + 2u] = acc1_0;
    sums[((sl - 1u) * 64u + pl) * 4u + 3u] = acc1_1;
  }
  workgroupBarrier();
  if (sl == 0u) {
    acc0_0 = acc0_0 + sums[(0u + pl) * 4u + 0u];
    acc0_0 = acc0_0 + sums[(64u + pl) * 4u + 0u];
    acc0_0 = acc0_0 + sums[(128u + pl) * 4u + 0u];
    acc0_1 = acc0_1 + sums[(0u + pl) * 4u + 1u];
    acc0_1 = acc0_1 + sums[(64u + pl) * 4u + 1u];
    acc0_1 = acc0_1 + sums[(128u + pl) * 4u + 1u];
    acc1_0 = acc1_0 + sums[(0u + pl) * 4u + 2u];
    acc1_0 = acc1_0 + sums[(64u + pl) * 4u + 2u];
    acc1_0 = acc1_0 + sums[(128u + pl) * 4u + 2u];
    acc1_1 = acc1_1 + sums[(0u + pl) * 4u + 3u];
    acc1_1 = acc1_1 + sums[(64u + pl) * 4u + 3u];
    acc1_1 = acc1_1 + sums[(128u + pl) * 4u + 3u];
    {
      let m = m0 + ty * 2u + 0u;
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
    }
    {
      let m = m0 + ty * 2u + 1u;
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
    }
  }
}
