// A page's use of the package as its README shows it, type-checked against webdnn.d.ts by
// tests/js/types.test.mjs (tsc --strict, DOM types without @webgpu/types). Never run.
import WebDNN, { type LoadOptions, type Runner, type TypedArray } from 'webdnn';

async function classify(image: HTMLImageElement, video: HTMLVideoElement): Promise<number[]> {
  const controller = new AbortController();
  const options: LoadOptions = {
    backendOrder: ['webgpu', 'webgl', 'wasm'],
    progressCallback: (loaded: number, total: number) => console.log(loaded / total),
    signal: controller.signal,
    cache: true,
    worker: false,
    numThreads: 2,
  };
  const runner: Runner = await WebDNN.load('out', options);
  runner.inputs[0].set(await WebDNN.Image.getImageArray(image, { dstW: 224, dstH: 224, order: 'CHW' }));
  runner.inputs[0].setImage(video, { bias: [123.7, 116.3, 103.5], scale: 58.4, color: 'RGB' });
  await runner.run();
  runner.inputs[0].set([1, 2, 3, 4, 5, 6], [2, 3]);  // a model with free dimensions, at a new shape
  await runner.run({ download: false });
  const logits: TypedArray = runner.outputs[0].toActual();
  const name: string = runner.backendName;
  const shape: readonly number[] = runner.outputs[0].shape;
  console.log(name, shape, runner.loadTimes?.total, runner.worker === true);
  const profile = await runner.profile?.();
  console.log(profile?.[0].ms);
  runner.dispose();
  await WebDNN.clearCache();
  return WebDNN.Math.argmax(logits, 5);
}

// Mistakes the types must catch: each line below is an error, or tsc reports the directive unused.
async function mistakes(runner: Runner): Promise<void> {
  // @ts-expect-error: no such backend
  await WebDNN.load('out', { backendOrder: ['webgpv'] });
  // @ts-expect-error: signal is an AbortSignal, not a controller
  await WebDNN.load('out', { signal: new AbortController() });
  // @ts-expect-error: run() takes options, not inputs
  await runner.run([1, 2, 3]);
  // @ts-expect-error: an input takes numbers
  runner.inputs[0].set('0.5');
  // @ts-expect-error: a shape is a list of sizes
  runner.inputs[0].set([1, 2], '1,2');
  // @ts-expect-error: outputs are read-only views
  runner.outputs[0].shape = [1];
}

export { classify, mistakes };
