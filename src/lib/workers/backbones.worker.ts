/// <reference lib="webworker" />
import { expose } from 'comlink';
import * as tf from '@tensorflow/tfjs';
import type { BackboneName } from '../models/poster/backbones.ts';
import { importBackboneFiles, type GivenFile } from './backbone-weights.ts';

// Checks weight files the user drops (h5wasm, tensors on the cpu backend: only shapes are
// read, no math) and stores them in the model cache; keeps 60–80 MB files off the page's thread.
const ready = tf.setBackend('cpu');

const api = {
  importFiles: async (name: BackboneName, files: GivenFile[]) => {
    await ready;
    return importBackboneFiles(name, files);
  },
};

expose(api);
export type BackbonesApi = typeof api;
