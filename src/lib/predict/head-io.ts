/**
 * A head as tfjs layers files (model.json + one weights shard), optionally float16-quantised:
 * tfjs' loader dequantises `quantization: { dtype: 'float16' }` itself, so the files load with
 * plain tf.loadLayersModel and halve in size; float16 keeps ~3 significant digits, and the card's
 * metrics are always measured on the weights as shipped (after the round trip).
 */
import * as tf from '@tensorflow/tfjs';

export interface HeadFiles {
  modelJson: {
    format: 'layers-model';
    generatedBy: string;
    convertedBy: null;
    modelTopology: unknown;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  };
  weights: Uint8Array;
}

/** Rounds float32 to IEEE half precision bits (round to nearest even; overflow to ±inf). */
export function toFloat16Bits(v: number): number {
  const f32 = new Float32Array([v]);
  const x = new Uint32Array(f32.buffer)[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    let m = mant >>> shift;
    const rest = mant & ((1 << shift) - 1);
    if (rest > half || (rest === half && m & 1)) m++;
    return sign | m;
  }
  let m = mant >>> 13;
  const rest = mant & 0x1fff;
  if (rest > 0x1000 || (rest === 0x1000 && m & 1)) {
    m++;
    if (m === 0x400) {
      m = 0;
      e++;
    }
    if (e >= 0x1f) return sign | 0x7c00;
  }
  return sign | (e << 10) | m;
}

/** The model's files; `weightsFile` is the shard name model.json refers to. */
export async function headFiles(
  model: tf.LayersModel,
  quantization: 'float16' | 'float32',
  weightsFile = 'weights.bin',
): Promise<HeadFiles> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(
      async (a) => (
        (saved = a),
        { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } }
      ),
    ),
  );
  const a = saved as tf.io.ModelArtifacts | null;
  if (!a?.weightSpecs || !a.weightData) throw new Error('headFiles: save produced no weights');
  const f32 = new Float32Array(
    tf.io.concatenateArrayBuffers(a.weightData as ArrayBuffer | ArrayBuffer[]),
  );
  let weights: Uint8Array;
  let specs = a.weightSpecs;
  if (quantization === 'float16') {
    const h = new Uint16Array(f32.length);
    for (let i = 0; i < f32.length; i++) h[i] = toFloat16Bits(f32[i]!);
    weights = new Uint8Array(h.buffer);
    specs = specs.map((s) => ({ ...s, quantization: { dtype: 'float16' as const } }));
  } else weights = new Uint8Array(f32.buffer);
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
      convertedBy: null,
      modelTopology: a.modelTopology,
      weightsManifest: [{ paths: [weightsFile], weights: specs }],
    },
    weights,
  };
}

/** Loads a head from its model.json and shard bytes (by path). */
export function loadHead(
  modelJson: {
    modelTopology: unknown;
    weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  },
  shards: ReadonlyMap<string, ArrayBuffer | Uint8Array>,
): Promise<tf.LayersModel> {
  const buffers = modelJson.weightsManifest.flatMap((g) =>
    g.paths.map((p) => {
      const b = shards.get(p);
      if (!b) throw new RangeError(`missing weight shard ${p}`);
      return b instanceof Uint8Array ? (b.slice().buffer as ArrayBuffer) : b;
    }),
  );
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: modelJson.modelTopology as tf.io.ModelArtifacts['modelTopology'],
      weightSpecs: modelJson.weightsManifest.flatMap((g) => g.weights),
      weightData: tf.io.concatenateArrayBuffers(buffers),
    }),
  );
}
