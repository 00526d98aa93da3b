/**
 * Where each ImageNet backbone's weights live on its official host, in one table, and which
 * small ones ship with the site itself (SHIPPED_BACKBONES, loaded from the site's own models/
 * folder by default). A browser fetches either once (model-store.ts keeps them for offline use),
 * or the user drops the files in Settings → Backbone weights, which stores them under the official URL.
 *
 * Sources of the URLs (checked, not from memory):
 *  - VGG16/VGG19 notop .h5: Keras' `WEIGHTS_PATH_NO_TOP` in keras/applications/vgg16.py and
 *    vgg19.py, as printed by Keras' downloader ("Downloading data from https://storage.googleapis
 *    .com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5
 *    58889256/58889256"; vgg19 "80134624/80134624"), e.g. junyongyou/lsct_phiqnet
 *    src/phiqnet/pretrained_weights/README.md lists the same vgg16 URL.
 *  - MobileNet v1 1.0 224 (tfjs layers model): storage.googleapis.com/tfjs-models/tfjs/
 *    mobilenet_v1_1.0_224/model.json, as in kostasx/tfjs-mobilenet-offline-model README.md and
 *    the tfjs examples that cut it at `conv_pw_13_relu`.
 *  - MobileNetV2 α=0.35 224 no-top (tfjs layers model): Teachable Machine's image library
 *    (googlecreativelab teachablemachine-community, `parseModelOptions`) loads
 *    storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_{α}_224_no_top/model.json.
 */
import type { BackboneName } from '../models/poster/backbones.ts';

/** One backbone's official weights. */
export interface ModelHost {
  label: string;
  /** The file a browser fetches first: the .h5 itself, or a tfjs layers model's model.json. */
  url: string;
  format: 'keras-h5' | 'tfjs-layers';
  /** Download size (all files), shown before the user connects; approximate for tfjs folders. */
  sizeBytes: number;
  /** The file name users have on disk (Keras' cache name), for the Settings card. */
  fileName: string;
}

export const MODEL_HOST_TABLE: Readonly<Record<BackboneName, ModelHost>> = {
  vgg16: {
    label: 'VGG16',
    url: 'https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
    format: 'keras-h5',
    sizeBytes: 58_889_256, // Keras' download log
    fileName: 'vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5',
  },
  vgg19: {
    label: 'VGG19',
    url: 'https://storage.googleapis.com/tensorflow/keras-applications/vgg19/vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5',
    format: 'keras-h5',
    sizeBytes: 80_134_624, // Keras' download log
    fileName: 'vgg19_weights_tf_dim_ordering_tf_kernels_notop.h5',
  },
  'mobilenetv1-1.0': {
    label: 'MobileNet v1 1.0',
    url: 'https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_1.0_224/model.json',
    format: 'tfjs-layers',
    sizeBytes: 16_900_000, // 4.2 M float32 parameters + model.json
    fileName: 'model.json',
  },
  'mobilenetv2-0.35': {
    label: 'MobileNetV2 α=0.35',
    url: 'https://storage.googleapis.com/teachable-machine-models/mobilenet_v2_weights_tf_dim_ordering_tf_kernels_0.35_224_no_top/model.json',
    format: 'tfjs-layers',
    sizeBytes: 1_731_474, // ../shared copy of the same files: model.json 90,642 + weights.bin 1,640,832
    fileName: 'model.json',
  },
};

/** How a shipped backbone stores its weights: all float32, all float16, or float16 kernels with float32 batch norm. */
export type ShipDtype = 'float32' | 'float16' | 'float16-kernels';

/**
 * Backbones that ship with the site, one entry each: their folder under the app's `models/`
 * (public/models/ in the repository), built from the ../shared folder of the same name below by
 * `npm run ship-backbone -- <name>`. A shipped copy is the default source of its backbone: it is
 * fetched from the site itself on first use and kept in Cache Storage like any download.
 */
export const SHIPPED_BACKBONES: Readonly<
  Partial<Record<BackboneName, { folder: string; sizeBytes: number; dtype: ShipDtype }>>
> = {
  // 1,731,474 bytes as float32; see the commit that set float16 for the accuracy measured.
  'mobilenetv2-0.35': { folder: 'mobilenetv2-0.35', sizeBytes: 920_158, dtype: 'float16' },
};

/** The model.json URL of a shipped backbone under `modelsRoot` (the site's `models/` URL), or null. */
export function shippedBackboneUrl(name: BackboneName, modelsRoot: string | URL): string | null {
  const s = SHIPPED_BACKBONES[name];
  if (!s) return null;
  const root = String(modelsRoot);
  return new URL(`${s.folder}/model.json`, root.endsWith('/') ? root : `${root}/`).href;
}

/** Folders of the same tfjs models in ../shared/models (dev, tests and e2e serve them under a models base URL). */
export const SHARED_MODEL_FOLDERS: Readonly<Partial<Record<BackboneName, string>>> = {
  'mobilenetv2-0.35': 'mobilenetv2-0.35-imagenet',
  'mobilenetv1-1.0': 'mobilenetv1-1.0-imagenet-to-conv_dw_13',
};

/** The folder URL (ending in '/') holding a file. */
export function folderOf(url: string): string {
  return url.slice(0, url.lastIndexOf('/') + 1);
}

/**
 * Which backbone a model URL belongs to: a file in (or under) the official URL's folder, in the
 * shipped copy's `models/<folder>/` on any site, or in the backbone's ../shared folder on any
 * base URL. Null for other models.
 */
export function backboneOfUrl(url: string): BackboneName | null {
  const path = new URL(url, 'https://x.invalid/').pathname;
  for (const [name, host] of Object.entries(MODEL_HOST_TABLE) as [BackboneName, ModelHost][]) {
    if (url.startsWith(folderOf(host.url))) return name;
    const shipped = SHIPPED_BACKBONES[name];
    if (shipped && path.includes(`/models/${shipped.folder}/`)) return name;
    const shared = SHARED_MODEL_FOLDERS[name];
    if (shared && path.includes(`/${shared}/`)) return name;
  }
  return null;
}

/** "58.9 MB" for the plain-language messages. */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
