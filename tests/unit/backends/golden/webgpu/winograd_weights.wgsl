@group(0) @binding(0) var<storage, read> buf0: array<f32, 589824>;
@group(0) @binding(1) var<storage, read_write> buf1: array<f32, 1048576>;
fn get_w(i: u32) -> f32 { return buf0[i]; }
fn set_u(i: u32, v: f32) { buf1[i] = v; }
@compute @workgroup_size(256)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * 256u + wid.x) * 256u + lid;
  if (i >= 65536u) { return; }
  let g = i * 9u;
  let g00 = get_w(g + 0u);
  let g01 = get_w(g + 1u);
  let g02 = get_w(g + 2u);
  let g10 = get_w(g + 3u);
  let g11 = get_w(g + 4u);
  let g12 = get_w(g + 5u);
  let g20 = get_w(g + 6u);
  let g21 = get_w(g + 7u);
  let g22 = get_w(g + 8u);
  let ga00 = g00;
  let ga01 = g01;
  let ga02 = g02;
  let ga10 = 0.5 * (g00 + g10 + g20);
  let ga11 = 0.5 * (g01 + g11 + g21);
  let ga12 = 0.5 * (g02 + g12 + g22);
  let ga20 = 0.5 * (g00 - g10 + g20);
  let ga21 = 0.5 * (g01 - g11 + g21);
  let ga22 = 0.5 * (g02 - g12 + g22);
  let ga30 = g20;
  let ga31 = g21;
  let ga32 = g22;
  let gu00 = ga00;
  let gu10 = ga10;
  let gu20 = ga20;
  let gu30 = ga30;
  let gu01 = 0.5 * (ga00 + ga01 + ga02);
  let gu11 = 0.5 * (ga10 + ga11 + ga12);
  let gu21 = 0.5 * (ga20 + ga21 + ga22);
  let gu31 = 0.5 * (ga30 + ga31 + ga32);
  let gu02 = 0.5 * (ga00 - ga01 + ga02);
  let gu12 = 0.5 * (ga10 - ga11 + ga12);
  let gu22 = 0.5 * (ga20 - ga21 + ga22);
  let gu32 = 0.5 * (ga30 - ga31 + ga32);
  let gu03 = ga02;
  let gu13 = ga12;
  let gu23 = ga22;
  let gu33 = ga32;
  set_u(0u + i, gu00);
  set_u(65536u + i, gu01);
  set_u(131072u + i, gu02);
  set_u(196608u + i, gu03);
  set_u(262144u + i, gu10);
  set_u(327680u + i, gu11);
  set_u(393216u + i, gu12);
  set_u(458752u + i, gu13);
  set_u(524288u + i, gu20);
  set_u(589824u + i, gu21);
  set_u(655360u + i, gu22);
  set_u(720896u + i, gu23);
  set_u(786432u + i, gu30);
  set_u(851968u + i, gu31);
  set_u(917504u + i, gu32);
  set_u(983040u + i, gu33);
}
