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
@compute @workgroup_size(32)
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {
  let i = (wid.y * 1u + wid.x) * 32u + lid;
  if (i >= 18u) { return; }
  let b = i / 9u;
  let row = i % 9u;
  let q0 = vec4<f32>(get_q((((b / 1u) % 2u) * 54u) + row * 6u + 0u), get_q((((b / 1u) % 2u) * 54u) + row * 6u + 1u), get_q((((b / 1u) % 2u) * 54u) + row * 6u + 2u), get_q((((b / 1u) % 2u) * 54u) + row * 6u + 3u));
  let q1 = vec4<f32>(get_q((((b / 1u) % 2u) * 54u) + row * 6u + 4u), get_q((((b / 1u) % 2u) * 54u) + row * 6u + 5u), 0.0, 0.0);
  let at = i * 11u;
  var m = -3.4028234663852886e+38;
  var l = 0.0;
  var o0 = vec4<f32>(0.0);
  var o1 = vec4<f32>(0.0);
  var o2 = vec4<f32>(0.0);
  for (var t = 0u; t < 11u; t = t + 1u) {
    let kt = b * 66u + t * 6u;
    let x = score(at + t, dot(q0, vec4<f32>(get_k(kt + 0u), get_k(kt + 1u), get_k(kt + 2u), get_k(kt + 3u))) + dot(q1, vec4<f32>(get_k(kt + 4u), get_k(kt + 5u), 0.0, 0.0)));
    if (x > m) {
      let a = exp(m - x);
      l = l * a;
      o0 = o0 * a;
      o1 = o1 * a;
      o2 = o2 * a;
      m = x;
    }
    let pe = exp(x - m);
    l = l + pe;
    let vt = b * 110u + t * 10u;
    o0 = o0 + pe * vec4<f32>(get_v(vt + 0u), get_v(vt + 1u), get_v(vt + 2u), get_v(vt + 3u));
    o1 = o1 + pe * vec4<f32>(get_v(vt + 4u), get_v(vt + 5u), get_v(vt + 6u), get_v(vt + 7u));
    o2 = o2 + pe * vec4<f32>(get_v(vt + 8u), get_v(vt + 9u), 0.0, 0.0);
  }
  let inv = 1.0 / l;
  var outs = array<vec4<f32>, 3u>(o0, o1, o2);
  for (var c = 0u; c < 3u; c = c + 1u) {
    let w = outs[c] * inv;
    if (4u * c + 0u < 10u) { set_y((b * 9u + row) * 10u + 4u * c + 0u, w[0]); }
    if (4u * c + 1u < 10u) { set_y((b * 9u + row) * 10u + 4u * c + 1u, w[1]); }
    if (4u * c + 2u < 10u) { set_y((b * 9u + row) * 10u + 4u * c + 2u, w[2]); }
    if (4u * c + 3u < 10u) { set_y((b * 9u + row) * 10u + 4u * c + 3u, w[3]); }
  }
}
