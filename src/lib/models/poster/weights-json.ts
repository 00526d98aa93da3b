/** Layers-model weights as plain JSON (name, shape, values) for toJSON/load round trips. */
import * as tf from '@tensorflow/tfjs';

export interface WeightJson {
  name: string;
  shape: number[];
  values: number[];
}

export async function weightsToJson(model: tf.LayersModel): Promise<WeightJson[]> {
  return Promise.all(
    model.weights.map(async (w) => ({
      name: w.originalName,
      shape: w.shape.map(Number),
      values: Array.from(await w.read().data()),
    })),
  );
}

/** Sets weights in the model's order; throws RangeError on a count or shape mismatch. */
export function setWeightsFromJson(model: tf.LayersModel, json: readonly WeightJson[]): void {
  if (json.length !== model.weights.length)
    throw new RangeError(`${json.length} weights for a model with ${model.weights.length}`);
  const tensors = json.map((w, i) => {
    const want = model.weights[i]!.shape.map(Number);
    if (!tf.util.arraysEqual(w.shape, want))
      throw new RangeError(`${w.name}: shape [${w.shape}] does not fit [${want}]`);
    return tf.tensor(w.values, w.shape);
  });
  model.setWeights(tensors);
  tf.dispose(tensors);
}
