import { describe, expect, it } from 'vitest';
import { isModelFileName, isModelUrl } from './model-urls.ts';

const APP = 'https://marquee.example';
const at = (href: string): boolean => isModelUrl(new URL(href, APP), APP);

describe('isModelFileName', () => {
  it('matches tfjs weight shards with and without .bin', () => {
    expect(isModelFileName('group1-shard1of1.bin')).toBe(true);
    expect(isModelFileName('group12-shard3of14')).toBe(true);
  });

  it('matches model.json, prefixed model.json, .tflite and .onnx', () => {
    for (const name of [
      'model.json',
      'style-model.json',
      'prediction.tflite',
      'net.onnx',
      'weights.bin',
    ]) {
      expect(isModelFileName(name), name).toBe(true);
    }
  });

  it('rejects app files and near misses', () => {
    for (const name of [
      'manifest.webmanifest',
      'index-abc123.js',
      'remodel.json',
      'group1-shard.bin.js',
      'tfjs-backend-wasm.wasm',
      '',
    ]) {
      expect(isModelFileName(name), name).toBe(false);
    }
  });
});

describe('isModelUrl on the app origin', () => {
  it('matches everything under /models/ and /__shared/models/', () => {
    expect(at('/models/mobilenet/group1-shard1of2')).toBe(true);
    expect(at('/models/vgg19/readme.txt')).toBe(true);
    expect(at('/__shared/models/mobilenetv2-0.35-imagenet/model.json')).toBe(true);
    expect(at('/sub/base/models/x.json')).toBe(true);
  });

  it('matches model files elsewhere on the origin, ignoring the query', () => {
    expect(at('/assets/model.json?v=2')).toBe(true);
    expect(at('/weights/group1-shard1of1.bin')).toBe(true);
  });

  it('leaves app assets and shared data alone', () => {
    expect(at('/')).toBe(false);
    expect(at('/assets/index-abc123.js')).toBe(false);
    expect(at('/manifest.webmanifest')).toBe(false);
    expect(at('/__shared/data/tmdb-cs109b/movies.csv')).toBe(false);
    expect(at('/modelsx/model.txt')).toBe(false);
  });
});

describe('isModelUrl across origins', () => {
  it('matches model files on the official hosts', () => {
    expect(
      at('https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_1.0_224/model.json'),
    ).toBe(true);
    expect(
      at('https://storage.googleapis.com/tfjs-models/tfjs/mobilenet_v1_1.0_224/group1-shard1of1'),
    ).toBe(true);
    expect(
      at(
        'https://tfhub.dev/google/tfjs-model/imagenet/mobilenet_v2_035_224/feature_vector/3/default/1/model.json?tfjs-format=file',
      ),
    ).toBe(true);
    expect(
      at(
        'https://www.kaggle.com/models/google/mobilenet-v2/tfJs/035-224-feature-vector/3/group1-shard1of1.bin?tfjs-format=file',
      ),
    ).toBe(true);
  });

  it('rejects other hosts, plain http, and non-model files on official hosts', () => {
    expect(at('https://evil.example/models/model.json')).toBe(false);
    expect(at('https://storage.googleapis.com.evil.example/model.json')).toBe(false);
    expect(at('http://storage.googleapis.com/tfjs-models/model.json')).toBe(false);
    expect(at('https://storage.googleapis.com/some-bucket/report.pdf')).toBe(false);
  });
});
