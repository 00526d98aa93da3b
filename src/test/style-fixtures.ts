/** Node-only test fixtures: reads shared/ in place (never copied into the repo). */
import { readFileSync } from 'node:fs';
import type { LayersModelJson } from '../lib/style/vgg.ts';
import { sharedUrl } from './shared.ts';

/** The weights' model.json inside the shared folder (for missingShared). */
export const VGG19_BLOCK3_JSON = 'models/vgg19-imagenet-to-block3_conv4/model.json';
const VGG19_DIR = sharedUrl('models/vgg19-imagenet-to-block3_conv4/');

/** Reads shared/models/vgg19-imagenet-to-block3_conv4 in place: model.json and its shards. */
export function readVgg19Block3(): {
  json: LayersModelJson & { modelTopology: unknown };
  shards: Map<string, ArrayBuffer>;
} {
  const json = JSON.parse(
    readFileSync(new URL('model.json', VGG19_DIR), 'utf8'),
  ) as LayersModelJson & {
    modelTopology: unknown;
  };
  const shards = new Map<string, ArrayBuffer>();
  for (const p of json.weightsManifest.flatMap((g) => g.paths)) {
    const b = readFileSync(new URL(p, VGG19_DIR));
    shards.set(p, b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
  }
  return { json, shards };
}
