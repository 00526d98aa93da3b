import { describe, expect, it } from 'vitest';
import type { Movie } from '../../data/types.ts';
import { PAPER7 } from '../../features/groups.ts';
import { profileOf } from '../../features/library-profile.ts';
import { MODEL_KINDS } from '../../models/registry.ts';
import {
  buildSpec,
  defaultForm,
  absentFeatures,
  fitFormToLibrary,
  formFromSpec,
  gridSize,
  NUMERIC_FIELDS,
  parseValue,
  PRESETS,
  specFromForm,
} from './spec-form.ts';

describe('parseValue', () => {
  it('reads numbers, named values, null and booleans by what the param accepts', () => {
    const forest = MODEL_KINDS.forest!.params;
    expect(parseValue(' 12 ', forest.maxDepth)).toBe(12);
    expect(parseValue('null', forest.maxDepth)).toBeNull();
    expect(parseValue('sqrt', forest.maxFeatures)).toBe('sqrt');
    expect(parseValue('false', forest.bootstrap)).toBe(false);
    expect(parseValue('1e-3', MODEL_KINDS.svm!.params.tolerance)).toBe(0.001);
  });

  it('reads layer sizes written with spaces or x', () => {
    const hidden = MODEL_KINDS.mlp!.params.hidden;
    expect(parseValue('64 32', hidden)).toEqual([64, 32]);
    expect(parseValue('128x64', hidden)).toEqual([128, 64]);
  });

  it('keeps text it cannot read, for parseSpec to report', () => {
    expect(parseValue('lots', MODEL_KINDS.svm!.params.C)).toBe('lots');
  });
});

describe('specFromForm', () => {
  it('turns the default form into a valid spec on the library with the paper features', () => {
    const { spec, problems } = specFromForm(defaultForm('logistic'));
    expect(problems).toEqual([]);
    expect(spec).toEqual({
      data: { library: true },
      labels: { groups: 'paper7' },
      features: { numeric: 'paper', certificate: true, scaling: 'standardize' },
      sampling: { method: 'none' },
      model: { kind: 'logistic' },
      cv: { folds: 5, metric: 'hammingLoss' },
      split: { testFraction: 0.2, seed: 42 },
    });
  });

  it('makes one value a param and comma-separated values a grid', () => {
    const form = {
      ...defaultForm('svm'),
      params: { C: '0.1, 1,10', gamma: 'scale', tolerance: '' },
    };
    const { spec } = specFromForm(form);
    expect(spec?.model).toEqual({
      kind: 'svm',
      params: { gamma: 'scale' },
      grid: { C: [0.1, 1, 10] },
    });
    expect(gridSize(spec!)).toBe(3);
  });

  it('lists chosen columns, sampling with its seed and percentage, chain and tuned thresholds', () => {
    const form = {
      ...defaultForm('forest'),
      name: ' small ',
      numeric: ['voteCount', 'popularity'] as (typeof NUMERIC_FIELDS)[number][],
      certificate: false,
      scaling: 'minmax' as const,
      sampling: { method: 'ml-ros' as const, seed: 3, percentage: 10 },
      chain: true,
      tuned: true,
      folds: 2,
      seed: 7,
    };
    const { spec } = specFromForm(form);
    expect(spec?.name).toBe('small');
    // Columns follow the paper's order, not the click order.
    expect(spec?.features).toEqual({
      numeric: ['popularity', 'voteCount'],
      certificate: false,
      scaling: 'minmax',
    });
    expect(spec?.sampling).toEqual({ method: 'ml-ros', seed: 3, percentage: 10 });
    expect(spec?.model.chain).toEqual({ order: 'frequency' });
    expect(spec?.model.thresholds).toEqual({ objective: 'f1', folds: 3, seed: 7 });
    expect(spec?.cv.folds).toBe(2);
  });

  it('uses the groups Explore saved when asked, and paper7 when there are none', () => {
    const groups = [{ name: 'Dark', genreIds: [27, 53] }];
    expect(
      (buildSpec({ ...defaultForm(), groups: 'explore' }, groups) as { labels: unknown }).labels,
    ).toEqual({ groups });
    expect(
      (buildSpec({ ...defaultForm(), groups: 'explore' }, []) as { labels: unknown }).labels,
    ).toEqual({ groups: 'paper7' });
  });

  it('reports every problem parseSpec finds instead of a spec', () => {
    const form = {
      ...defaultForm('svm'),
      params: { C: '-1, abc' },
      folds: 1,
      testFraction: 1.5,
      numeric: [],
      certificate: false,
    };
    const { spec, problems } = specFromForm(form);
    expect(spec).toBeNull();
    expect(problems).toEqual(
      expect.arrayContaining([
        'model.grid.C: must be > 0, got -1',
        expect.stringMatching(
          /^model\.grid\.C: must be a number or 'scale' or 'auto'|^model\.grid\.C: must be a number/,
        ),
        'cv.folds: must be an integer >= 2',
        'split.testFraction: must be a number in (0, 1), got 1.5',
        'features: no columns selected',
      ]),
    );
  });
});

describe('formFromSpec', () => {
  it('round-trips every preset: form → spec gives the preset back (name aside, data on the library)', () => {
    for (const p of PRESETS) {
      const { spec, problems } = specFromForm(formFromSpec(p.spec));
      expect(problems, p.id).toEqual([]);
      expect(spec, p.id).toEqual(p.spec);
    }
  });

  it('gives the Table 1 tuned presets 12 grid points each', () => {
    expect(PRESETS.map((p) => [p.id, gridSize(p.spec)])).toEqual([
      ['svm', 1],
      ['svm-tuned', 12],
      ['forest', 1],
      ['forest-tuned', 12],
      ['mlp', 1],
    ]);
  });

  it('shows explicit groups as "explore" and layer sizes as text', () => {
    const f = formFromSpec({ ...PRESETS[4]!.spec, labels: { groups: [...PAPER7] } });
    expect(f.groups).toBe('explore');
    expect(f.params.hidden).toBe('64 32');
  });
});

/** The profile of a library holding these (partial) movies. */
const lib = (movies: Partial<Movie>[]) =>
  profileOf(
    movies.map((m, i) => ({
      key: `k${i}`,
      title: 't',
      genreIds: [],
      keywords: [],
      source: 's',
      updatedAt: 0,
      ...m,
    })),
  );

describe('fitFormToLibrary', () => {
  it('switches the certificate off only when no movie has one', () => {
    const f = defaultForm();
    expect(fitFormToLibrary(f, lib([{}, { certificate: undefined }])).certificate).toBe(false);
    expect(fitFormToLibrary(f, lib([{}, { certificate: 'PG' }])).certificate).toBe(true);
  });

  it('switches off the numeric features no movie has, and keeps the others', () => {
    const f = defaultForm();
    // A TMDb crawl without OMDb: no IMDb votes, stunts or effects.
    const movies = [
      { popularity: 3, voteCount: 120, voteAverage: 6.5, releaseDate: '2012-05-04' },
      { popularity: 1, voteCount: 10, voteAverage: 7, certificate: 'PG' },
    ];
    const fitted = fitFormToLibrary(f, lib(movies));
    expect(fitted.numeric).toEqual(
      NUMERIC_FIELDS.filter((x) => !['imdbVotes', 'numStunts', 'numFx'].includes(x)),
    );
    expect(absentFeatures(lib(movies)).get('numStunts')).toMatch(/^not in this library \(no API/);
    expect(absentFeatures(lib(movies)).has('certificate')).toBe(false);
  });

  it('returns the same form when the library has every feature', () => {
    const f = defaultForm();
    const all = {
      popularity: 3,
      voteCount: 1,
      voteAverage: 6,
      imdbVotes: 9,
      numStunts: 2,
      numFx: 4,
      releaseDate: '2012-05-04',
      certificate: 'PG',
    };
    expect(fitFormToLibrary(f, lib([all]))).toBe(f);
  });
});
