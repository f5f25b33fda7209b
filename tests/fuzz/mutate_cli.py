#!/usr/bin/python3
"""The issue's check as a new user would make it: random byte mutations of an ONNX file (given to
webdnn-convert) and of each file of a converted model (given to webdnn-run) must end with exit
status 0, 1 or 2 and a message, never a signal, each within a few seconds.

usage: mutate_cli.py --convert BIN --run BIN MODEL.onnx [--count 300] [--seed 1] [--input-shape A=..]
Prints one line per target file (runs, exit statuses, slowest run) and exits 1 on any failure.
Use the binaries of build-fuzz (ASan, UBSan) to catch memory errors that do not crash."""
import argparse, os, random, shutil, subprocess, sys, tempfile, time

p = argparse.ArgumentParser()
p.add_argument("--convert", required=True)
p.add_argument("--run", required=True)
p.add_argument("model")
p.add_argument("--count", type=int, default=300)
p.add_argument("--seed", type=int, default=1)
p.add_argument("--input-shape", action="append", default=[])
p.add_argument("--timeout", type=float, default=20)
args = p.parse_args()
rng = random.Random(args.seed)
shape_args = [a for s in args.input_shape for a in ("--input-shape", s)]


def mutate(data):
    b = bytearray(data)
    for _ in range(rng.choice([1, 1, 2, 4, 16])):
        kind = rng.random()
        at = rng.randrange(max(len(b), 1))
        if kind < 0.5 and b:
            b[at] = rng.randrange(256)          # overwrite a byte
        elif kind < 0.65 and b:
            b[at] ^= 1 << rng.randrange(8)      # flip a bit
        elif kind < 0.8:
            b[at:at] = bytes([rng.randrange(256)])  # insert
        elif kind < 0.9 and b:
            del b[at:at + rng.randrange(1, 64)]     # delete a run
        else:
            b = b[:at]                               # truncate
    return bytes(b)


def run(cmd):
    t0 = time.monotonic()
    try:
        r = subprocess.run(cmd, capture_output=True, timeout=args.timeout)
        code, out = r.returncode, (r.stdout + r.stderr).decode(errors="replace")
    except subprocess.TimeoutExpired:
        code, out = "timeout", ""
    return code, out, time.monotonic() - t0


failures = 0
work = tempfile.mkdtemp(prefix="webdnn-mutate-")
try:
    base = os.path.join(work, "base")
    code, out, _ = run([args.convert, args.model, "-o", base, "--backend", "wasm,webgpu,webgl"] + shape_args)
    if code != 0:
        sys.exit(f"converting {args.model} failed: {out}")
    original = open(args.model, "rb").read()
    targets = [("model", None)] + [(f, os.path.join(base, f)) for f in ("manifest.json", "graph-wasm.json", "weights-wasm.bin.zst")]
    for name, path in targets:
        codes, slowest = {}, 0.0
        for i in range(args.count):
            if path is None:
                m = os.path.join(work, "m.onnx")
                open(m, "wb").write(mutate(original))
                cmd = [args.convert, m, "-o", os.path.join(work, "out"), "--backend", "wasm,webgpu,webgl"] + shape_args
            else:
                d = os.path.join(work, "model")
                shutil.rmtree(d, ignore_errors=True)
                shutil.copytree(base, d)
                open(os.path.join(d, name), "wb").write(mutate(open(path, "rb").read()))
                cmd = [args.run, d, "--output-dir", os.path.join(work, "res")]
            code, out, seconds = run(cmd)
            slowest = max(slowest, seconds)
            codes[code] = codes.get(code, 0) + 1
            if code not in (0, 1, 2) or (code != 0 and "error" not in out and "usage" not in out):
                failures += 1
                keep = os.path.join(tempfile.gettempdir(), f"webdnn-mutate-failure-{name}-{i}")
                shutil.copy(m if path is None else os.path.join(d, name), keep)
                print(f"FAILURE {name} #{i}: exit {code}, input kept in {keep}\n{out[-2000:]}", file=sys.stderr)
        print(f"{name}: {args.count} mutations, exit statuses {dict(sorted(codes.items(), key=str))}, slowest {slowest:.2f} s")
finally:
    shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if failures else 0)
