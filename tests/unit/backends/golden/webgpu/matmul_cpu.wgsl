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
@compute @workgroup_size(35)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let bt = wid.z;
  let m0 = wid.y * 56u + (lid / 5u) * 8u;
  let n0 = wid.x * 40u + lid % 5u;
  let am0 = min(m0 + 0u, 49u);
  let am1 = min(m0 + 1u, 49u);
  let am2 = min(m0 + 2u, 49u);
  let am3 = min(m0 + 3u, 49u);
  let am4 = min(m0 + 4u, 49u);
  let am5 = min(m0 + 5u, 49u);
  let am6 = min(m0 + 6u, 49u);
  let am7 = min(m0 + 7u, 49u);
  let bn0 = n0 + 0u;
  let bn1 = n0 + 5u;
  let bn2 = n0 + 10u;
  let bn3 = n0 + 15u;
  let bn4 = n0 + 20u;
  let bn5 = n0 + 25u;
  let bn6 = n0 + 30u;
  let bn7 = n0 + 35u;
  var acc0_0 = 0.0;
  var acc0_1 = 0.0;
  var acc0_2 = 0.0;
  var acc0_3 = 0.0;
  var acc0_4 = 0.0;
  var acc0_5 = 0.0;
  var acc0_6 = 0.0;
  var acc0_7 = 0.0;
  var acc1_0 = 0.0;
  var acc1_1 = 0.0;
  var acc1_2 = 0.0;
  var acc1_3 = 0.0;
  var acc1_4 = 0.0;
  var acc1_5 = 0.0;
  var acc1_6 = 0.0;
  var acc1_7 = 0.0;
  var acc2_0 = 0.0;
  var acc2_1 = 0.0;
  var acc2_2 = 0.0;
  var acc2_3 = 0.0;
  var acc2_4 = 0.0;
  var acc2_5 = 0.0;
  var acc2_6 = 0.0;
  var acc2_7 = 0.0;
  var acc3_0 = 0.0;
  var acc3_1 = 0.0;
  var acc3_2 = 0.0;
  var acc3_3 = 0.0;
  var acc3_4 = 0.0;
  var acc3_5 = 0.0;
  var acc3_6 = 0.0;
  var acc3_7 = 0.0;
  var acc4_0 = 0.0;
  var acc4_1 = 0.0;
  var acc4_2 = 0.0;
  var acc4_3 = 0.0;
  var acc4_4 = 0.0;
  var acc4_5 = 0.0;
  var acc4_6 = 0.0;
  var acc4_7 = 0.0;
  var acc5_0 = 0.0;
  var acc5_1 = 0.0;
  var acc5_2 = 0.0;
  var acc5_3 = 0.0;
  var acc5_4 = 0.0;
  var acc5_5 = 0.0;
  var acc5_6 = 0.0;
  var acc5_7 = 0.0;
  var acc6_0 = 0.0;
  var acc6_1 = 0.0;
  var acc6_2 = 0.0;
  var acc6_3 = 0.0;
  var acc6_4 = 0.0;
  var acc6_5 = 0.0;
  var acc6_6 = 0.0;
  var acc6_7 = 0.0;
  var acc7_0 = 0.0;
  var acc7_1 = 0.0;
  var acc7_2 = 0.0;
  var acc7_3 = 0.0;
  var acc7_4 = 0.0;
  var acc7_5 = 0.0;
  var acc7_6 = 0.0;
  var acc7_7 = 0.0;
  for (var k = 0u; k < 72u; k = k + 1u) {
    let a0 = get_a(0u + am0 * 72u + k);
    let a1 = get_a(0u + am1 * 72u + k);
    let a2 = get_a(0u + am2 * 72u + k);
    let a3 = get_a(0u + am3 * 72u + k);
    let a4 = get_a(0u + am4 * 72u + k);
    let a5 = get_a(0u + am5 * 72u + k);
    let a6 = get_a(0u + am6 * 72u + k);
    let a7 = get_a(0u + am7 * 72u + k);
    let b0 = get_b(0u + k * 40u + bn0);
    let b1 = get_b(0u + k * 40u + bn1);
    let b2 = get_b(0u + k * 40u + bn2);
    let b3 = get_b(0u + k * 40u + bn3);
    let b4 = get_b(0u + k * 40u + bn4);
    let b5 = get_b(0u + k * 40u + bn5);
    let b6 = get_b(0u + k * 40u + bn6);
    let b7 = get_b(0u + k * 40u + bn7);
    acc0_0 = acc0_0 + a0 * b0;
    acc0_1 = acc0_1 + a0 * b1;
    acc0_2 = acc0_2 + a0 * b2;
    acc0_3 = acc0_3 + a0 * b3;
    acc0_4 = acc0_4 + a0 * b4;
    acc0_5 = acc0_5 + a0 * b5;
    acc0_6 = acc0_6 + a0 * b6;
    acc0_7 = acc0_7 + a0 * b7;
    acc1_0 = acc1_0 + a1 * b0;
    acc1_1 = acc1_1 + a1 * b1;
    acc1_2 = acc1_2 + a1 * b2;
    acc1_3 = acc1_3 + a1 * b3;
    acc1_4 = acc1_4 + a1 * b4;
    acc1_5 = acc1_5 + a1 * b5;
    acc1_6 = acc1_6 + a1 * b6;
    acc1_7 = acc1_7 + a1 * b7;
    acc2_0 = acc2_0 + a2 * b0;
    acc2_1 = acc2_1 + a2 * b1;
    acc2_2 = acc2_2 + a2 * b2;
    acc2_3 = acc2_3 + a2 * b3;
    acc2_4 = acc2_4 + a2 * b4;
    acc2_5 = acc2_5 + a2 * b5;
    acc2_6 = acc2_6 + a2 * b6;
    acc2_7 = acc2_7 + a2 * b7;
    acc3_0 = acc3_0 + a3 * b0;
    acc3_1 = acc3_1 + a3 * b1;
    acc3_2 = acc3_2 + a3 * b2;
    acc3_3 = acc3_3 + a3 * b3;
    acc3_4 = acc3_4 + a3 * b4;
    acc3_5 = acc3_5 + a3 * b5;
    acc3_6 = acc3_6 + a3 * b6;
    acc3_7 = acc3_7 + a3 * b7;
    acc4_0 = acc4_0 + a4 * b0;
    acc4_1 = acc4_1 + a4 * b1;
    acc4_2 = acc4_2 + a4 * b2;
    acc4_3 = acc4_3 + a4 * b3;
    acc4_4 = acc4_4 + a4 * b4;
    acc4_5 = acc4_5 + a4 * b5;
    acc4_6 = acc4_6 + a4 * b6;
    acc4_7 = acc4_7 + a4 * b7;
    acc5_0 = acc5_0 + a5 * b0;
    acc5_1 = acc5_1 + a5 * b1;
    acc5_2 = acc5_2 + a5 * b2;
    acc5_3 = acc5_3 + a5 * b3;
    acc5_4 = acc5_4 + a5 * b4;
    acc5_5 = acc5_5 + a5 * b5;
    acc5_6 = acc5_6 + a5 * b6;
    acc5_7 = acc5_7 + a5 * b7;
    acc6_0 = acc6_0 + a6 * b0;
    acc6_1 = acc6_1 + a6 * b1;
    acc6_2 = acc6_2 + a6 * b2;
    acc6_3 = acc6_3 + a6 * b3;
    acc6_4 = acc6_4 + a6 * b4;
    acc6_5 = acc6_5 + a6 * b5;
    acc6_6 = acc6_6 + a6 * b6;
    acc6_7 = acc6_7 + a6 * b7;
    acc7_0 = acc7_0 + a7 * b0;
    acc7_1 = acc7_1 + a7 * b1;
    acc7_2 = acc7_2 + a7 * b2;
    acc7_3 = acc7_3 + a7 * b3;
    acc7_4 = acc7_4 + a7 * b4;
    acc7_5 = acc7_5 + a7 * b5;
    acc7_6 = acc7_6 + a7 * b6;
    acc7_7 = acc7_7 + a7 * b7;
  }
  {
    let m = m0 + 0u;
    {
      let n = n0 + 0u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc0_0);
      }
    }
    {
      let n = n0 + 5u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc0_1);
      }
    }
    {
      let n = n0 + 10u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc0_2);
      }
    }
    {
      let n = n0 + 15u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc0_3);
      }
    }
    {
      let n = n0 + 20u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc0_4);
      }
    }
    {
      let n = n0 + 25u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc0_5);
      }
    }
    {
      let n = n0 + 30u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc0_6);
      }
    }
    {
      let n = n0 + 35u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc0_7);
      }
    }
  }
  {
    let m = m0 + 1u;
    {
      let n = n0 + 0u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc1_0);
      }
    }
    {
      let n = n0 + 5u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc1_1);
      }
    }
    {
      let n = n0 + 10u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc1_2);
      }
    }
    {
      let n = n0 + 15u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc1_3);
      }
    }
    {
      let n = n0 + 20u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc1_4);
      }
    }
    {
      let n = n0 + 25u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc1_5);
      }
    }
    {
      let n = n0 + 30u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc1_6);
      }
    }
    {
      let n = n0 + 35u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc1_7);
      }
    }
  }
  {
    let m = m0 + 2u;
    {
      let n = n0 + 0u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc2_0);
      }
    }
    {
      let n = n0 + 5u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc2_1);
      }
    }
    {
      let n = n0 + 10u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc2_2);
      }
    }
    {
      let n = n0 + 15u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc2_3);
      }
    }
    {
      let n = n0 + 20u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc2_4);
      }
    }
    {
      let n = n0 + 25u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc2_5);
      }
    }
    {
      let n = n0 + 30u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc2_6);
      }
    }
    {
      let n = n0 + 35u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc2_7);
      }
    }
  }
  {
    let m = m0 + 3u;
    {
      let n = n0 + 0u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc3_0);
      }
    }
    {
      let n = n0 + 5u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc3_1);
      }
    }
    {
      let n = n0 + 10u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc3_2);
      }
    }
    {
      let n = n0 + 15u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc3_3);
      }
    }
    {
      let n = n0 + 20u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc3_4);
      }
    }
    {
      let n = n0 + 25u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc3_5);
      }
    }
    {
      let n = n0 + 30u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc3_6);
      }
    }
    {
      let n = n0 + 35u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc3_7);
      }
    }
  }
  {
    let m = m0 + 4u;
    {
      let n = n0 + 0u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc4_0);
      }
    }
    {
      let n = n0 + 5u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc4_1);
      }
    }
    {
      let n = n0 + 10u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc4_2);
      }
    }
    {
      let n = n0 + 15u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc4_3);
      }
    }
    {
      let n = n0 + 20u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc4_4);
      }
    }
    {
      let n = n0 + 25u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc4_5);
      }
    }
    {
      let n = n0 + 30u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc4_6);
      }
    }
    {
      let n = n0 + 35u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc4_7);
      }
    }
  }
  {
    let m = m0 + 5u;
    {
      let n = n0 + 0u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc5_0);
      }
    }
    {
      let n = n0 + 5u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc5_1);
      }
    }
    {
      let n = n0 + 10u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc5_2);
      }
    }
    {
      let n = n0 + 15u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc5_3);
      }
    }
    {
      let n = n0 + 20u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc5_4);
      }
    }
    {
      let n = n0 + 25u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc5_5);
      }
    }
    {
      let n = n0 + 30u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc5_6);
      }
    }
    {
      let n = n0 + 35u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc5_7);
      }
    }
  }
  {
    let m = m0 + 6u;
    {
      let n = n0 + 0u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc6_0);
      }
    }
    {
      let n = n0 + 5u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc6_1);
      }
    }
    {
      let n = n0 + 10u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc6_2);
      }
    }
    {
      let n = n0 + 15u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc6_3);
      }
    }
    {
      let n = n0 + 20u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc6_4);
      }
    }
    {
      let n = n0 + 25u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc6_5);
      }
    }
    {
      let n = n0 + 30u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc6_6);
      }
    }
    {
      let n = n0 + 35u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc6_7);
      }
    }
  }
  {
    let m = m0 + 7u;
    {
      let n = n0 + 0u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc7_0);
      }
    }
    {
      let n = n0 + 5u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc7_1);
      }
    }
    {
      let n = n0 + 10u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc7_2);
      }
    }
    {
      let n = n0 + 15u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc7_3);
      }
    }
    {
      let n = n0 + 20u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc7_4);
      }
    }
    {
      let n = n0 + 25u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc7_5);
      }
    }
    {
      let n = n0 + 30u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc7_6);
      }
    }
    {
      let n = n0 + 35u;
      if ((m < 50u)) {
        store_y((bt * 50u + m) * 40u + n, acc7_7);
      }
    }
  }
}
