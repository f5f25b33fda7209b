// Types of the WebDNN JavaScript API (webdnn.mjs).

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'fallback';
export type DType = 'float32' | 'int32' | 'int64' | 'bool' | 'uint8' | 'int8';
export type TypedArray = Float32Array | Int32Array | BigInt64Array | Uint8Array | Int8Array | Uint16Array | Float64Array;

// WebGPU's types where the project has them (@webgpu/types, or a TypeScript whose DOM types
// include WebGPU), else `Else`: a project without WebGPU types still compiles (what it cannot
// have, it cannot pass: never; what it reads is unknown).
type WebGpuType<Name extends string, Else> = typeof globalThis extends { [K in Name]: { prototype: infer T } } ? T : Else;

export interface LoadOptions {
  /** Backends to try, in order (or just one); default: the best this environment supports. */
  backendOrder?: BackendName | BackendName[];
  /** Called as the weights download: bytes loaded so far and in all. */
  progressCallback?: (loaded: number, total: number) => void;
  /** Where the weight files are, if not beside the descriptors. */
  weightDirectory?: string;
  /** Threads for the wasm backend (needs a cross-origin isolated page in browsers); default up to 4. */
  numThreads?: number;
  /**
   * wasm: where the engine has relaxed SIMD, run the runtime build whose float products use its
   * fused multiply-add (about 1.5x faster products on x86; results may differ in the last bits
   * from one CPU to another, as the instruction fuses where the CPU can). Default true; false runs
   * the plain SIMD build everywhere. See Runner.relaxedSimd.
   */
  wasmRelaxedSimd?: boolean;
  /**
   * webgl: the largest texture size to assume, when smaller than the context's MAX_TEXTURE_SIZE
   * (the runner then picks the descriptor variant converted for it; for testing small devices).
   */
  webglMaxTextureSize?: number;
  /**
   * webgl: 'auto' (default) renders to float32 textures where EXT_color_buffer_float is there,
   * else to half-float ones if the model's values fit them, else declines; 'float16' behaves as
   * if float32 render targets were missing (for testing).
   */
  webglRenderTarget?: 'auto' | 'float16';
  /**
   * webgpu: the kernel set to run, 'gpu' (workgroup memory) or 'cpu' (register blocks, for
   * adapters that run shaders on the CPU); by default chosen from the adapter (SwiftShader: 'cpu').
   */
  webgpuKernels?: 'gpu' | 'cpu';
  /**
   * webgpu: with the 'gpu' kernels, run the subgroups variants of the kernels that have one (rows
   * of softmax and normalizations, reductions: sums and maxima within a subgroup without
   * workgroup memory) where the device has the 'subgroups' feature. Default true; false runs the
   * workgroup-memory variants everywhere.
   */
  webgpuSubgroups?: boolean;
  /**
   * webgpu: run a quantized model's integer products (convolutions and products by weights in
   * int32 sums) with WGSL's dot4I8Packed where the browser has the language feature
   * 'packed_4x8_integer_dot_product'. Default true; false unpacks the int8 values in the shader.
   */
  webgpuPackedDot?: boolean;
  /**
   * webgpu: run a model exported in half precision (float16 inputs or outputs) with its f16
   * program where the device has 'shader-f16' (requested where the adapter has it): float tensors
   * and weights stored as f16 (half the memory and bandwidth), integer and bool ones as f32, every
   * kernel computing and summing in f32. Default true; false runs the f32 program, as on devices
   * without the feature and for every other model. See WebDNNRunner.storage.
   */
  webgpuF16?: boolean;
  /**
   * Load and run in a dedicated Worker (browsers), so that the page stays responsive: wasm,
   * fallback, webgpu, and webgl where the browser has OffscreenCanvas. The runner has the same
   * API (inputs are copied to the worker at run(), outputs copied back); no GPUBuffer inputs,
   * gpuBuffer outputs or `device` there. Default: only the threaded wasm runtime goes to a worker
   * (threads must not block a page's main thread); `false` keeps everything in this thread (the
   * wasm backend then computes with one thread on a page's main thread). Ignored in Node.js.
   */
  worker?: boolean;
  /**
   * Keep the model's files in the browser's Cache API (keyed by the checksums in the manifest,
   * which is always fetched: a model converted again is never served stale), so that the next
   * visit loads them from disk. WebDNN.clearCache() empties it. Ignored where there is no Cache API.
   */
  cache?: boolean;
  /** webgpu: run on this device (shared with the page, never destroyed by the runner). */
  webgpuDevice?: WebGpuType<'GPUDevice', never>;
  /**
   * Aborts the load (AbortController.signal): load() rejects at once with an AbortError (a
   * DOMException, as fetch's) whose message says what was under way and whose `cause` is the
   * signal's reason; the downloads stop, and a worker, GPU device or context the load made is freed.
   */
  signal?: AbortSignal;
}

export interface ImageInputOptions {
  /** Channels to take, in order; default 'RGB' (3 channels) or 'GREY' (1). */
  color?: 'RGB' | 'BGR' | 'GREY';
  /** Where the input's shape fits both, whether it is [1, C, H, W] ('CHW') or [1, H, W, C] ('HWC'). */
  order?: 'CHW' | 'HWC';
  /** Subtracted from each 0..255 pixel value, per channel or for all. */
  bias?: number | number[];
  /** Then divided by, per channel or for all. */
  scale?: number | number[];
}

export type ImageInputSource =
  | ImageBitmap | ImageData | HTMLImageElement | HTMLCanvasElement | OffscreenCanvas | HTMLVideoElement | VideoFrame;

export interface TensorView {
  readonly role: 'input' | 'output';
  readonly name: string;
  /** The type WebDNN computes the tensor in (float32 for a model exported in half precision). */
  readonly dtype: DType;
  /**
   * The type the model declares: 'float16', 'bfloat16' or 'float64' for a model exported so
   * (computed in float32, converted by set() and toActual()); otherwise the same as dtype.
   */
  readonly declaredType: DType | 'float16' | 'bfloat16' | 'float64';
  /** The current shape: an input's as last set, an output's as of the last run(). */
  readonly shape: readonly number[];
  readonly size: number;
  /**
   * Copies values in; throws unless exactly `size` values are given. webgpu: also a GPUBuffer of
   * f32 values in row-major order (of the runner's device; f16 values where runner.storage is
   * 'f16'), read at each run().
   * `shape` sets a new shape first: a model converted with free dimensions (wasm, fallback) runs at
   * any shape they allow; run() checks all inputs' shapes together (a clear error names the input
   * and axis that do not fit), and an input whose shape changed must have been set with it.
   * A float16 or bfloat16 input (declaredType) also takes a Uint16Array of its bits or a
   * Float16Array; other numbers are rounded to the declared type.
   */
  set(array: ArrayLike<number> | TypedArray | WebGpuType<'GPUBuffer', never>, shape?: readonly number[]): void;
  /**
   * An image input ([1, C, H, W] or [1, H, W, C], float32) from a picture: resized to H x W
   * (bilinear), channels picked, (pixel - bias) / scale. On webgpu and webgl on the GPU (a video
   * frame never crosses to the CPU); elsewhere through a 2D canvas.
   */
  setImage(source: ImageInputSource, options?: ImageInputOptions): void;
  /**
   * A copy of the current values (webgpu: unless the last run left them on the GPU), as the
   * declared type: a float16 output as a Float16Array where the platform has one, else a
   * Uint16Array of its bits (as onnxruntime-web gives them); bfloat16 as bits too.
   */
  toActual(): TypedArray;
  /**
   * webgpu outputs: a GPUBuffer of the runner's device holding the output after each run, as f32
   * (as f16 where the runner's storage is 'f16' and the output is a float tensor).
   */
  readonly gpuBuffer?: WebGpuType<'GPUBuffer', unknown>;
}

export interface RunOptions {
  /** webgpu: false leaves the outputs in their gpuBuffers, not read back (toActual() then throws). */
  download?: boolean;
}

export interface Runner {
  readonly backendName: BackendName;
  /** Threads the runner computes with (1 unless the wasm backend got threads). */
  readonly numThreads: number;
  readonly inputs: readonly TensorView[];
  readonly outputs: readonly TensorView[];
  /**
   * Computes the outputs from the inputs. A run() called while another is under way waits for it,
   * then runs with the inputs as they are then (runs never overlap). Rejects with a message saying
   * so when the GPU device or context was lost (then load the model again) or the runner disposed.
   */
  run(options?: RunOptions): Promise<void>;
  /**
   * Frees the runner (and ends its worker, or destroys its own WebGPU device); a run under way
   * or waiting rejects ('this runner was disposed...').
   */
  dispose(): void;
  /** Whether the runner runs in a dedicated worker. */
  readonly worker?: boolean;
  /** wasm: whether the runtime build with relaxed SIMD runs (see LoadOptions.wasmRelaxedSimd). */
  readonly relaxedSimd?: boolean;
  /** webgpu: the GPUDevice it runs on, for the page's own buffers and shaders. */
  readonly device?: WebGpuType<'GPUDevice', unknown>;
  /**
   * Times each kernel, slowest first (for tuning). wasm/fallback/webgl: one run, timed on the CPU,
   * returned at once. webgpu: a Promise (`await runner.profile()` suits every backend), see
   * WebGpuProfileEntry.
   */
  profile?(options?: ProfileOptions): ProfileEntry[] | Promise<WebGpuProfileEntry[]>;
  /** webgpu: how long each part of the load took (see LoadTimes). */
  readonly loadTimes?: LoadTimes;
  /** webgpu: the compute pipelines made at load (one per distinct shader the dispatches use). */
  readonly pipelineCount?: number;
  /** webgpu: the kernel set in use (see LoadOptions.webgpuKernels). */
  readonly kernels?: 'gpu' | 'cpu';
  /** webgpu: whether the subgroups variants run (see LoadOptions.webgpuSubgroups). */
  readonly subgroups?: boolean;
  /** webgpu: whether the integer products use dot4I8Packed (see LoadOptions.webgpuPackedDot). */
  readonly packedDot?: boolean;
  /**
   * webgpu: how float tensors are stored: 'f16' where the f16 program of a model exported in half
   * precision runs (see LoadOptions.webgpuF16), else 'f32'. With 'f16', a float input given as a
   * GPUBuffer must hold f16 values, setImage() is refused, and a float output's gpuBuffer holds f16
   * values; set() and toActual() convert as ever.
   */
  readonly storage?: 'f32' | 'f16';
  /** webgl: the texture size the descriptor variant in use was converted for. */
  readonly maxTextureSize?: number;
  /** webgl: what the runner renders to (half floats where float render targets are missing). */
  readonly renderTarget?: 'float32' | 'float16';
  /**
   * webgpu and webgl on a model converted with free dimensions: each input signature whose
   * descriptor the page generated (at load the converter's sample shapes, then each new one at its
   * first run; the last 4 are kept), with how long generating and loading it took.
   */
  readonly generations?: readonly ShapeGeneration[];
  /**
   * webgpu and webgl on a model converted with free dimensions: how many pipelines (programs) the
   * kept shapes' runners hold between them; a shape's runner that goes gives back what only it used.
   */
  keptShaders?(): number;
  /**
   * webgpu and webgl on a model converted with free dimensions: the bytes of weights the kept
   * shapes' runners hold on the GPU between them. A weight buffer (texture) whose bytes a kept
   * shape already uploaded is shared, not uploaded again, so this grows with a new shape only by
   * the weights that depend on the shape; 0 after dispose().
   */
  gpuWeightBytes?(): number;
}

export interface ShapeGeneration {
  /** Every input's shape. */
  shapes: number[][];
  /** Milliseconds in the generator (webdnn-generator.wasm). */
  generateMs: number;
  /** Milliseconds loading the generated descriptor (pipelines or programs, weights upload). */
  loadMs: number;
  /** Bytes of weights this shape put on the GPU: those no kept shape had (null until loaded). */
  uploadedBytes?: number | null;
}

export interface ProfileEntry {
  /** The operator's name in the model (after optimization: fused operators take one name). */
  op: string;
  kernel: string;
  ms: number;
  /** webgpu and webgl: a kernel of the wasm tail, after an output whose size the values decide. */
  tail?: 'wasm';
}

export interface ProfileOptions {
  /** webgpu: timed repetitions per kernel (default 3); the median is reported. */
  repeat?: number;
}

export interface WebGpuProfileEntry extends ProfileEntry {
  /** Position of the dispatch in the program. */
  index: number;
  /** The IR operator type (Conv, MatMul, FusedElementwise...). */
  type: string;
  /** 'shader N': the descriptor's shader the dispatch runs. */
  kernel: string;
  workgroups: [number, number, number];
  /**
   * 'gpu': the GPU's own clock (the device has 'timestamp-query'): the whole program runs as in
   * run(), each dispatch in a compute pass of its own with a timestamp at its start and end; ms
   * is the median over `repeat` runs after a warm-up. 'queue': no timestamps on this device: each
   * dispatch submitted alone and timed on the CPU to the queue's completion (submission included).
   */
  clock: 'gpu' | 'queue';
}

/**
 * webgpu: milliseconds spent on each part of WebDNN.load. The parts overlap: the weights download
 * while the device opens and the pipelines compile, so `total` is about the longest of `download`
 * and `device` + `pipelines`, plus `upload`.
 */
export interface LoadTimes {
  /** From the start of load until the weights are downloaded and decompressed (the descriptor included). */
  download: number;
  /** Asking for the adapter and the device. */
  device: number;
  /** From the first pipeline requested until all are compiled (createComputePipelineAsync). */
  pipelines: number;
  /** From the first weight written to the GPU until the queue is done with them. */
  upload: number;
  /** Kernels' weights transformed on the GPU once uploaded (Winograd convolutions), where the descriptor has such. */
  prepare?: number;
  /** The whole load of the backend, from its descriptor's download until it is ready to run. */
  total: number;
}

/** Loads the directory written by webdnn-convert, trying backends in order (falling back with a console warning). */
export function load(directory: string, options?: LoadOptions): Promise<Runner>;

/** Deletes every model file WebDNN cached in this origin (LoadOptions.cache); resolves with whether there were any. */
export function clearCache(): Promise<boolean>;

/** This package's version. */
export const version: string;
/** The output format version (docs/descriptor.md) this package reads. */
export const formatVersion: number;

export interface ImageArrayOptions {
  dstW?: number;
  dstH?: number;
  order?: 'CHW' | 'HWC';
  color?: 'RGB' | 'BGR' | 'GREY';
  /** Subtracted from each 0..255 pixel value, per channel or for all. */
  bias?: number | number[];
  /** Then divided by, per channel or for all. */
  scale?: number | number[];
}

export type ImageSource =
  | string
  | ImageData
  | { width: number; height: number; data: ArrayLike<number> }
  | CanvasImageSource;

export declare namespace Image {
  function getImageArray(src: ImageSource, options?: ImageArrayOptions): Promise<Float32Array>;
}

export declare namespace Math {
  /** Indices of the k largest values, largest first. */
  function argmax(array: ArrayLike<number | bigint>, k?: number): number[];
  /** Indices of the k smallest values, smallest first. */
  function argmin(array: ArrayLike<number | bigint>, k?: number): number[];
}

export function registerBackend(name: string, backend: unknown): void;

declare const WebDNN: {
  load: typeof load;
  clearCache: typeof clearCache;
  version: string;
  formatVersion: number;
  Image: typeof Image;
  Math: typeof Math;
  registerBackend: typeof registerBackend;
};
export default WebDNN;
