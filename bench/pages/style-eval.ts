/**
 * Page script for bench/benches/style-eval.ts: the native reference's exact style workload — VGG19
 * up to block3_conv4 (torchvision `vgg19().features[:17]`, untrained weights there too), loss =
 * mean(features²), gradient with respect to a 1×size×size×3 image — so the ratio compares like
 * with like (the Style panel's own preset stops at block3_conv1, half the work per pixel).
 */
import * as tf from '@tensorflow/tfjs';
import { requestWasmThreads, useBackend, type BackendName } from '$lib/platform';

// `?threads=n` fixes the wasm thread count of this page (bench/benches/threads.ts); default auto.
const threadsParam = new URLSearchParams(location.search).get('threads');
if (threadsParam) requestWasmThreads(Number(threadsParam));
import { buildVgg } from '$lib/style/vgg.ts';

export interface StyleEvalResult {
  backend: string;
  size: number;
  msPerEval: number;
  evals: number;
}

async function runStyleEval(
  backend: BackendName,
  size: number,
  evals: number,
): Promise<StyleEvalResult> {
  await useBackend(backend);
  const model = buildVgg('vgg19', ['block3_conv4']);
  const image = tf.randomUniform([1, size, size, 3], 0, 255, 'float32', 1);
  const lossOf = (x: tf.Tensor) => (model.predict(x) as tf.Tensor).square().mean() as tf.Scalar;
  const step = async () => {
    const g = tf.tidy(() => tf.grad(lossOf)(image));
    await g.data(); // on GPU backends dataSync is unreliable here; awaiting data() also waits for the work
    g.dispose();
  };
  await step(); // warm-up: kernel compilation, weight uploads
  const times: number[] = [];
  for (let i = 0; i < evals; i++) {
    const t0 = performance.now();
    await step();
    times.push(performance.now() - t0);
  }
  image.dispose();
  model.dispose();
  times.sort((a, b) => a - b);
  return { backend: tf.getBackend(), size, msPerEval: times[Math.floor(times.length / 2)]!, evals };
}

(window as unknown as { runStyleEval: typeof runStyleEval }).runStyleEval = runStyleEval;
document.body.dataset.ready = 'true';
