import { describe, expect, it } from 'vitest';
import { profileOf } from '../../features/library-profile.ts';
import {
  augmentationOn,
  buildPosterSpec,
  countTrainable,
  defaultPosterForm,
  describeFits,
  POSTER_PRESETS,
  posterFormFromSpec,
  posterGridSize,
  posterSpecFromForm,
} from './poster-form.ts';

const preset = (id: string) => POSTER_PRESETS.find((p) => p.id === id)!.spec;

describe('posterSpecFromForm', () => {
  it('turns the default form into a valid CNN spec on the library', () => {
    const { spec, problems } = posterSpecFromForm(defaultPosterForm());
    expect(problems).toEqual([]);
    expect(spec).toEqual({
      data: { library: true },
      labels: { groups: 'paper7' },
      model: { kind: 'cnn' },
      split: { testFraction: 0.2, seed: 42 },
    });
  });

  it('makes comma-separated values a grid with a validation fraction, and sets the limit', () => {
    const form = {
      ...defaultPosterForm(),
      params: { batchSize: '16, 32', optimizer: 'rmsprop', augFlip: 'true' },
      limit: '40',
      validationFraction: 0.25,
    };
    const { spec, problems } = posterSpecFromForm(form);
    expect(problems).toEqual([]);
    expect(spec).toMatchObject({
      model: {
        kind: 'cnn',
        params: { optimizer: 'rmsprop', augFlip: true },
        grid: { batchSize: [16, 32] },
      },
      validation: { fraction: 0.25 },
      limit: 40,
    });
  });

  it('reports bad values and a too small limit, one line each', () => {
    const form = { ...defaultPosterForm(), params: { optimizer: 'sgd' }, limit: '5' };
    const { spec, problems } = posterSpecFromForm(form);
    expect(spec).toBeNull();
    expect(problems).toContain('limit: must be an integer >= 10');
    expect(problems.some((p) => p.startsWith('model.params.optimizer:'))).toBe(true);
  });

  it('uses the groups saved by Explore when asked and there are some', () => {
    const groups = [{ name: 'Drama', genreIds: [18] }];
    const raw = buildPosterSpec({ ...defaultPosterForm(), groups: 'explore' }, groups) as {
      labels: unknown;
    };
    expect(raw.labels).toEqual({ groups });
  });
});

describe('poster presets', () => {
  it('are all valid library specs and round-trip through the form', () => {
    for (const p of POSTER_PRESETS) {
      const back = posterSpecFromForm(posterFormFromSpec(p.spec));
      expect(back.problems, p.id).toEqual([]);
      expect(back.spec, p.id).toEqual(p.spec);
    }
  });

  it("hold the paper's settings: initial CNN batch 16 × 20 epochs Adam, tuned preset, PCA 90 %", () => {
    expect(preset('cnn-initial').model.params).toEqual({
      preset: 'initial',
      batchSize: 16,
      epochs: 20,
      optimizer: 'adam',
    });
    expect(preset('cnn-tuned').model.params?.preset).toBe('tuned');
    expect(preset('pca-svm').model.params).toMatchObject({ variance: 0.9, classifier: 'svm' });
    expect(preset('pca-forest').model.params?.classifier).toBe('forest');
    const aug = preset('cnn-augment').model.params!;
    expect([aug.augFlip, aug.augShift, aug.augZoom, aug.augRotationDeg, aug.augColor]).toEqual([
      true,
      0.1,
      0.1,
      5,
      0.1,
    ]);
  });

  it('make the grid search 2 × 2 × 2 × 2 × 2 = 32 points, each on 80 % of the training split', () => {
    const grid = preset('cnn-grid');
    expect(posterGridSize(grid)).toBe(32);
    expect(describeFits(grid)).toBe(
      '32 grid points, each trained on 80 % of the training split, then a refit',
    );
    expect(describeFits(preset('cnn-initial'))).toBe('1 fit on the training split');
  });
});

describe('augmentationOn', () => {
  it('is on for true and non-zero amounts, off for empty, false and 0', () => {
    expect(['true', '0.1', ' 5 '].map(augmentationOn)).toEqual([true, true, true]);
    expect(['', 'false', '0', undefined].map(augmentationOn)).toEqual([false, false, false, false]);
  });
});

describe('countTrainable', () => {
  it('counts movies with a poster and a genre of the groups', () => {
    const movies = [
      { key: 'a', genreIds: [18] }, // drama: in the paper's groups, has a poster
      { key: 'b', genreIds: [18] }, // no poster
      { key: 'c', genreIds: [99] }, // documentary: in no paper group
      { key: 'd', genreIds: [] },
      { key: 'e', genreIds: [35, 99] },
    ];
    const posters = new Set(['a', 'c', 'd', 'e']);
    const lib = (p: Set<string>) =>
      profileOf(
        movies.map((m) => ({ ...m, title: m.key, keywords: [], source: 's', updatedAt: 0 })),
        p,
      );
    expect(countTrainable(lib(posters), 'paper7')).toBe(2);
    expect(countTrainable(lib(posters), [{ name: 'Docs', genreIds: [99] }])).toBe(2);
    expect(countTrainable(lib(new Set()), 'paper7')).toBe(0);
  });
});
