/**
 * Test support (Node, browser tests and e2e): writes a weights file in the layout of Keras'
 * `vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5` (root attribute `layer_names`, per layer
 * `weight_names` and datasets `<layer>/<layer>/kernel:0`), full size (14,714,688 float32
 * parameters) with seeded values. Works with h5wasm's
 * browser and Node builds alike (same API), so pass whichever module the caller has.
 */
import { mulberry32 } from '../lib/features/random.ts';
import { vggLayerNames } from '../lib/style/vgg.ts';

interface H5Group {
  create_attribute(name: string, value: string | string[]): void;
  create_group(name: string): H5Group;
  create_dataset(o: { name: string; data: Float32Array; shape: number[]; dtype: string }): unknown;
}
interface H5Module {
  ready: Promise<{ FS: { readFile(path: string): Uint8Array; unlink(path: string): void } }>;
  File: new (path: string, mode: string) => H5Group & { get(name: string): unknown; close(): void };
}

/** Keras VGG16 conv shapes: 3×3 kernels, filters 64,64 | 128,128 | 256×3 | 512×3 | 512×3. */
export function vgg16ConvShapes(): [string, number[]][] {
  const filters = [64, 128, 256, 512, 512];
  let cin = 3;
  return vggLayerNames('vgg16')
    .filter((n) => n.includes('_conv'))
    .map((n) => {
      const f = filters[Number(n.charAt(5)) - 1]!;
      const shape = [3, 3, cin, f];
      cin = f;
      return [n, shape];
    });
}

/**
 * The seeded kernel and bias of each conv layer, keyed `<layer>/kernel` and `<layer>/bias`: what
 * writeVgg16H5 writes for the same seed and shapes (tests compare what a loader read with it).
 */
export function vgg16FixtureWeights(
  seed: number,
  shapes: [string, number[]][] = vgg16ConvShapes(),
): Map<string, Float32Array> {
  const rng = mulberry32(seed);
  const out = new Map<string, Float32Array>();
  for (const [name, shape] of shapes) {
    const size = shape.reduce((a, b) => a * b, 1);
    // He-like scale keeps activations finite through 13 layers.
    const scale = Math.sqrt(2 / (9 * shape[2]!));
    const kernel = new Float32Array(size);
    for (let i = 0; i < size; i++) kernel[i] = (rng() * 2 - 1) * scale;
    const bias = Float32Array.from({ length: shape[3]! }, () => (rng() - 0.5) * 0.1);
    out.set(`${name}/kernel`, kernel).set(`${name}/bias`, bias);
  }
  return out;
}

/**
 * The file's bytes; `shapes` may be altered to make a wrong file. The pooling layers are listed
 * too, without weights, as in Keras' file.
 */
export async function writeVgg16H5(
  h5: H5Module,
  seed: number,
  shapes: [string, number[]][] = vgg16ConvShapes(),
): Promise<Uint8Array<ArrayBuffer>> {
  const { FS } = await h5.ready;
  const path = `/vgg16-fixture-${seed}-${Date.now()}.h5`;
  const weights = vgg16FixtureWeights(seed, shapes);
  const layers = vggLayerNames('vgg16').filter(
    (n) => n.includes('_pool') || shapes.some(([s]) => s === n),
  );
  const f = new h5.File(path, 'w');
  f.create_attribute('layer_names', ['input_1', ...layers]);
  f.create_attribute('backend', 'tensorflow');
  f.create_group('input_1').create_attribute('weight_names', ['']);
  for (const name of layers.filter((n) => n.includes('_pool')))
    f.create_group(name).create_attribute('weight_names', ['']);
  for (const [name, shape] of shapes) {
    const g = f.create_group(name);
    g.create_attribute('weight_names', [`${name}/kernel:0`, `${name}/bias:0`]);
    const inner = g.create_group(name);
    const kernel = weights.get(`${name}/kernel`)!;
    const bias = weights.get(`${name}/bias`)!;
    inner.create_dataset({ name: 'kernel:0', data: kernel, shape, dtype: '<f' });
    inner.create_dataset({ name: 'bias:0', data: bias, shape: [shape[3]!], dtype: '<f' });
  }
  f.close();
  const bytes = new Uint8Array(FS.readFile(path));
  FS.unlink(path);
  return bytes;
}
