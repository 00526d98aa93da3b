import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PAPER7 } from '../features/groups.ts';
import { artifactProblems, cardProblems, compatibilityProblems, type ModelCard } from './card.ts';

const LABELS = PAPER7.map((g) => g.name);
const metrics = {
  hammingLoss: 0.2,
  exactMatch: 0.1,
  atLeastOne: 0.7,
  microF1: 0.5,
  macroF1: 0.4,
  samplesF1: 0.5,
  rows: 10,
};
const card = (): ModelCard => ({
  format: 'marquee-model-card',
  version: 1,
  name: 'm',
  kind: 'poster',
  createdAt: '2026-01-01',
  labels: [...LABELS],
  groups: PAPER7.map((g) => ({ name: g.name, genreIds: [...g.genreIds] })),
  thresholds: LABELS.map(() => 0.5),
  backbone: { name: 'mobilenetv2-0.35', featureDims: 1280, officialUrl: 'https://x/model.json' },
  preprocessing: {
    height: 224,
    width: 224,
    color: 'rgb',
    normalization: 'tf',
    resize: 'bilinear',
    decoder: 'jpeg-js',
  },
  head: { architecture: '1280→7', selectedBy: 'test', quantization: 'float16' },
  data: { source: 's', rows: 10, train: 6, validation: 2, test: 2, split: 's' },
  metrics: { test: metrics },
  spec: {},
  files: ['weights.bin'],
});
const modelJson = (units = 7, shape = [1280, units]) => ({
  modelTopology: { model_config: { config: { layers: [{ config: { units } }] } } },
  weightsManifest: [
    {
      paths: ['weights.bin'],
      weights: [{ name: 'k', shape, dtype: 'float32', quantization: { dtype: 'float16' } }],
    },
  ],
});
const WANT = { labels: LABELS, backbones: ['mobilenetv2-0.35'] };

describe('cardProblems', () => {
  it('accepts a well-formed card', () => expect(cardProblems(card())).toEqual([]));
  it('refuses JSON that is not an object', () =>
    expect(cardProblems([1, 2])).toEqual(['card: not a JSON object']));
  it('names each missing or wrong field', () => {
    const c = {
      ...card(),
      thresholds: [0.5],
      metrics: { test: { ...metrics, microF1: 1.5 } },
      version: 2,
    };
    const p = cardProblems(c);
    expect(p).toContain('version: expected 1, got 2');
    expect(p).toContain('thresholds: expected one threshold in [0, 1] per label');
    expect(p).toContain('metrics.test.microF1: expected a number in [0, 1]');
  });
  it('wants a backbone for poster models', () => {
    expect(cardProblems({ ...card(), backbone: null })).toContain(
      'backbone: a poster model names its backbone and feature size',
    );
  });
});

describe('compatibilityProblems', () => {
  it('accepts the studio labels and backbone', () =>
    expect(compatibilityProblems(card(), WANT)).toEqual([]));
  it('refuses other labels', () => {
    const c = { ...card(), labels: ['Drama', 'Comedy'] };
    expect(compatibilityProblems(c, WANT)[0]).toMatch(/^labels differ/);
  });
  it('refuses another backbone', () => {
    const c = { ...card(), backbone: { name: 'vgg16', featureDims: 25088, officialUrl: '' } };
    expect(compatibilityProblems(c, WANT)).toEqual([
      'backbone vgg16 is not available (known: mobilenetv2-0.35)',
    ]);
  });
});

describe('artifactProblems', () => {
  it('accepts matching shards (float16: 2 bytes a weight)', () => {
    expect(artifactProblems(card(), modelJson(), new Map([['weights.bin', 1280 * 7 * 2]]))).toEqual(
      [],
    );
  });
  it('reports a missing shard', () => {
    expect(artifactProblems(card(), modelJson(), new Map())).toEqual([
      'missing weight shard weights.bin',
    ]);
  });
  it('reports a shard of the wrong size', () => {
    expect(artifactProblems(card(), modelJson(), new Map([['weights.bin', 100]]))[0]).toMatch(
      /hold 100 bytes/,
    );
  });
  it('reports a model whose outputs do not match the labels', () => {
    const p = artifactProblems(card(), modelJson(19), new Map([['weights.bin', 1280 * 19 * 2]]));
    expect(p).toEqual(['the model has 19 outputs but the card lists 7 labels']);
  });
  it('refuses a model.json without topology', () => {
    expect(artifactProblems(card(), { hello: 1 }, new Map())[0]).toMatch(/not a tfjs layers model/);
  });
});

describe('the shipped card', () => {
  it('is valid and fits the studio', () => {
    const url = new URL('../../../public/models/marquee-poster-v1/', import.meta.url);
    const c = JSON.parse(readFileSync(new URL('card.json', url), 'utf8')) as ModelCard;
    const m = JSON.parse(readFileSync(new URL('model.json', url), 'utf8')) as unknown;
    const size = readFileSync(new URL('weights.bin', url)).length;
    expect(cardProblems(c)).toEqual([]);
    expect(compatibilityProblems(c, WANT)).toEqual([]);
    expect(artifactProblems(c, m, new Map([['weights.bin', size]]))).toEqual([]);
  });
});
