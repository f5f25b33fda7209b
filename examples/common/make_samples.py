#!/usr/bin/python3
"""Draws the examples' sample pictures (synthetic scenes, no photographs) and writes them as PNG.

usage: make_samples.py [EXAMPLES_DIR]    (default: the examples/ folder this script is in)

  resnet50/sample.png        a red and white striped hot-air balloon over green hills, 256x256
  style_transfer/sample.png  a landscape: sky, sun, mountains, hills, a lake and a house, 256x256

Only numpy and zlib: shapes are drawn 4x supersampled and averaged down (anti-aliased edges).
The PNGs are committed; run this again only to change them.
"""
import os
import struct
import sys
import zlib

import numpy as np

SIZE = 256
SS = 4  # supersampling
N = SIZE * SS
y, x = np.mgrid[0:N, 0:N].astype(np.float32) / N  # coordinates in [0, 1), y downwards


def rgb(*c):
    return np.array(c, np.float32)


def paint(img, mask, color):
    """Covers `mask` (bool or 0..1 weights) with `color` (a colour or an image)."""
    m = mask.astype(np.float32)[..., None]
    img *= 1 - m
    img += m * color


def vertical(top, bottom, y0=0.0, y1=1.0):
    t = np.clip((y - y0) / (y1 - y0), 0, 1)[..., None]
    return top * (1 - t) + bottom * t


def polygon(points):
    """Inside test of a closed polygon (even-odd rule)."""
    inside = np.zeros((N, N), bool)
    px, py = x, y
    for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
        crosses = (y1 > py) != (y2 > py)
        xint = x1 + (py - y1) * (x2 - x1) / ((y2 - y1) if y2 != y1 else 1e-9)
        inside ^= crosses & (px < xint)
    return inside


def down(img):
    return img.reshape(SIZE, SS, SIZE, SS, 3).mean(axis=(1, 3))


def write_png(path, img):
    data = np.clip(np.round(img * 255), 0, 255).astype(np.uint8)
    raw = b"".join(b"\x00" + row.tobytes() for row in data)

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)
    print(f"{path}: {len(png)} bytes")


def hills(img, base, amp, freq, phase, color_top, color_bottom):
    h = base + amp * np.sin(2 * np.pi * (freq * x + phase)) + 0.3 * amp * np.sin(2 * np.pi * (2.7 * freq * x + phase * 3))
    paint(img, y > h, vertical(color_top, color_bottom, base - amp, 1.0))


def balloon():
    img = vertical(rgb(0.35, 0.6, 0.95), rgb(0.8, 0.9, 1.0))
    for cx, cy, r in [(0.2, 0.2, 0.07), (0.27, 0.18, 0.09), (0.35, 0.21, 0.06), (0.78, 0.32, 0.06), (0.85, 0.3, 0.08)]:
        paint(img, (x - cx) ** 2 + ((y - cy) * 1.8) ** 2 < r * r, rgb(1, 1, 1))  # clouds
    hills(img, 0.78, 0.04, 1.2, 0.1, rgb(0.35, 0.7, 0.3), rgb(0.15, 0.45, 0.15))
    hills(img, 0.86, 0.03, 2.0, 0.6, rgb(0.25, 0.55, 0.2), rgb(0.1, 0.35, 0.1))
    # the envelope: a circle on top of a cone, with vertical stripes
    cx, cy, r = 0.5, 0.36, 0.2
    env = ((x - cx) ** 2 + (y - cy) ** 2 < r * r) | polygon([(cx - r * 0.97, cy + 0.05), (cx + r * 0.97, cy + 0.05), (cx + 0.05, 0.68), (cx - 0.05, 0.68)])
    stripe = (np.floor((np.arcsin(np.clip((x - cx) / r, -1, 1)) / np.pi + 0.5) * 8) % 2).astype(bool)
    paint(img, env, np.where(stripe[..., None], rgb(0.9, 0.1, 0.1), rgb(0.98, 0.95, 0.9)))
    shade = np.clip(((x - cx) + (y - cy)) / r, 0, 1) * env
    img *= 1 - 0.3 * shade[..., None]
    for sx in (-0.045, 0.045):  # ropes
        paint(img, (np.abs(x - (cx + sx * (1 - (y - 0.68) * 2))) < 0.004) & (y > 0.68) & (y < 0.74), rgb(0.3, 0.2, 0.1))
    paint(img, (np.abs(x - cx) < 0.045) & (y > 0.74) & (y < 0.8), rgb(0.55, 0.35, 0.15))  # basket
    return img


def landscape():
    img = vertical(rgb(0.95, 0.55, 0.3), rgb(1.0, 0.85, 0.55), 0.0, 0.55)
    paint(img, (x - 0.72) ** 2 + (y - 0.25) ** 2 < 0.08 ** 2, rgb(1.0, 0.95, 0.6))  # sun
    paint(img, polygon([(0.0, 0.55), (0.18, 0.28), (0.33, 0.45), (0.5, 0.22), (0.7, 0.5), (0.85, 0.35), (1.0, 0.5), (1.0, 0.6), (0.0, 0.6)]),
          vertical(rgb(0.45, 0.35, 0.55), rgb(0.3, 0.25, 0.45), 0.2, 0.6))  # mountains
    paint(img, polygon([(0.44, 0.27), (0.5, 0.22), (0.56, 0.31), (0.52, 0.29), (0.48, 0.32)]), rgb(0.97, 0.97, 1.0))  # snow
    hills(img, 0.6, 0.03, 1.5, 0.3, rgb(0.45, 0.65, 0.25), rgb(0.25, 0.45, 0.15))
    lake = polygon([(0.05, 0.8), (0.3, 0.72), (0.65, 0.74), (0.8, 0.82), (0.55, 0.92), (0.15, 0.9)])
    paint(img, lake, vertical(rgb(0.3, 0.5, 0.8), rgb(0.15, 0.3, 0.6), 0.72, 0.92))
    ripples = lake & (np.sin(y * 260 + np.sin(x * 30) * 2) > 0.85)
    paint(img, ripples, rgb(0.6, 0.75, 0.95))
    paint(img, (x > 0.76) & (x < 0.92) & (y > 0.6) & (y < 0.72), rgb(0.9, 0.85, 0.7))  # house
    paint(img, polygon([(0.74, 0.61), (0.84, 0.52), (0.94, 0.61)]), rgb(0.7, 0.2, 0.15))  # roof
    paint(img, (x > 0.82) & (x < 0.86) & (y > 0.65) & (y < 0.72), rgb(0.4, 0.25, 0.15))  # door
    for tx in (0.1, 0.2, 0.62):  # trees
        paint(img, (x > tx - 0.008) & (x < tx + 0.008) & (y > 0.6) & (y < 0.68), rgb(0.35, 0.22, 0.1))
        paint(img, polygon([(tx - 0.045, 0.62), (tx, 0.48), (tx + 0.045, 0.62)]), rgb(0.1, 0.4, 0.2))
    return img


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    write_png(os.path.join(root, "resnet50", "sample.png"), down(balloon()))
    write_png(os.path.join(root, "style_transfer", "sample.png"), down(landscape()))


if __name__ == "__main__":
    main()
