import { describe, expect, it } from 'vitest';
import type { Movie } from '../data/types.ts';
import { asDense, isMixed } from '../models/classic/matrix.ts';
import { CERTIFICATES, reduceCertificate } from './certificate.ts';
import {
  PAPER_FEATURES,
  applyFeatures,
  applyFeaturesTabular,
  buildFeatures,
  fitFeatures,
  fieldValue,
  type FeatureSpec,
} from './encode.ts';

function movie(extra: Partial<Movie>): Movie {
  return {
    key: 'k',
    title: 't',
    genreIds: [],
    keywords: [],
    source: 'test',
    updatedAt: 0,
    ...extra,
  };
}

const TRAIN = [
  movie({ popularity: 1, voteAverage: 7.5 }),
  movie({ popularity: 3 }),
  movie({ voteAverage: 6 }),
  movie({ popularity: 10, voteAverage: 8 }),
];
const TEST = [movie({ voteAverage: 5 }), movie({ popularity: 4 })];
const SPEC: FeatureSpec = {
  numeric: ['popularity', 'voteAverage', 'numFx'],
  certificate: false,
  scaling: 'standardize',
};

// Ref: scikit-learn 1.2.1, SimpleImputer(strategy='median', add_indicator=True) then
// StandardScaler / MinMaxScaler fitted on the training rows [[1,7.5],[3,nan],[nan,6],[10,8]] and
// applied to [[nan,5],[4,nan]] (run with /usr/bin/python3; values rounded to 1e-10).
const STANDARD_TRAIN = [
  [-0.9506541514, 0.3333333333],
  [-0.3656362121, 0.3333333333],
  [-0.3656362121, -1.6666666667],
  [1.6819265755, 1.0],
];
const STANDARD_TEST = [
  [-0.3656362121, -3.0],
  [-0.0731272424, 0.3333333333],
];
const MINMAX_TEST = [
  [0.2222222222, -0.5],
  [0.3333333333, 0.75],
];

/** Column c of row r. */
const at = (m: { x: Float32Array; cols: number }, r: number, c: number) => m.x[r * m.cols + c]!;

describe('buildFeatures', () => {
  it('imputes training medians with indicators and leaves out fields nobody has', () => {
    const built = buildFeatures(TRAIN, SPEC);
    expect(built.names).toEqual([
      'popularity',
      'popularity_missing',
      'voteAverage',
      'voteAverage_missing',
    ]);
    expect(built.transform.numeric.map((c) => c.median)).toEqual([3, 7.5]);
    expect([0, 1, 2, 3].map((r) => at(built, r, 1))).toEqual([0, 0, 1, 0]); // popularity missing in row 2
    expect([0, 1, 2, 3].map((r) => at(built, r, 3))).toEqual([0, 1, 0, 0]); // voteAverage in row 1
  });
  it('standardizes with training statistics like scikit-learn, on training and test rows', () => {
    const built = buildFeatures(TRAIN, SPEC);
    STANDARD_TRAIN.forEach((row, r) =>
      row.forEach((v, j) => expect(at(built, r, j * 2)).toBeCloseTo(v, 5)),
    );
    const test = applyFeatures(built.transform, TEST);
    STANDARD_TEST.forEach((row, r) =>
      row.forEach((v, j) => expect(at(test, r, j * 2)).toBeCloseTo(v, 5)),
    );
    expect([at(test, 0, 1), at(test, 0, 3), at(test, 1, 1), at(test, 1, 3)]).toEqual([1, 0, 0, 1]);
  });
  it('min-max scales with the training range (test values may leave [0, 1])', () => {
    const test = applyFeatures(
      buildFeatures(TRAIN, { ...SPEC, scaling: 'minmax' }).transform,
      TEST,
    );
    MINMAX_TEST.forEach((row, r) =>
      row.forEach((v, j) => expect(at(test, r, j * 2)).toBeCloseTo(v, 5)),
    );
  });
  it('raw keeps values and a constant column never divides by zero', () => {
    const raw = buildFeatures([movie({ numFx: 2 }), movie({ numFx: 2 })], {
      ...SPEC,
      scaling: 'raw',
    });
    expect(Array.from(raw.x)).toEqual([2, 2]);
    const std = buildFeatures([movie({ numFx: 2 }), movie({ numFx: 2 })], SPEC);
    expect(Array.from(std.x)).toEqual([0, 0]);
  });
  it('derives year, month and decade from the release date and one-hot encodes the certificate', () => {
    const m = movie({ releaseDate: '1994-09-23', certificate: 'R' });
    expect([fieldValue(m, 'year'), fieldValue(m, 'month'), fieldValue(m, 'decade')]).toEqual([
      1994, 9, 1990,
    ]);
    const built = buildFeatures([m, movie({ year: 2016, certificate: '12A' })], {
      ...PAPER_FEATURES,
      scaling: 'raw',
    });
    expect(built.names).toEqual([
      'year',
      'month',
      'month_missing',
      'decade',
      ...CERTIFICATES.map((c) => `certificate=${c}`),
    ]);
    expect(Array.from(built.x.subarray(0, built.cols))).toEqual([
      1994, 9, 0, 1990, 0, 0, 0, 0, 0, 0, 1,
    ]);
    expect(Array.from(built.x.subarray(built.cols))).toEqual([
      2016, 9, 1, 2010, 0, 0, 0, 1, 0, 0, 0,
    ]);
  });
});

describe('reduceCertificate', () => {
  it('maps US, UK and TV ratings to the 7 classes', () => {
    const cases: [string | undefined, string][] = [
      ['G', 'U'],
      ['PG', 'PG'],
      ['PG-13', '12'],
      ['R', 'R'],
      ['NC-17', '18'],
      ['12A', '12'],
      ['15', '15'],
      ['18', '18'],
      ['NR', 'Unrated'],
      ['Not Rated', 'Unrated'],
      ['TV-MA', 'R'],
      ['TV-14', '15'],
      ['TV-Y7', 'U'],
      ['Approved', 'U'],
      [undefined, 'Unrated'],
      ['', 'Unrated'],
      ['gibberish', 'Unrated'],
    ];
    for (const [rating, expected] of cases)
      expect(reduceCertificate(rating), String(rating)).toBe(expected);
  });
  it('maps other countries by the age in the rating', () => {
    expect(['FSK 6', 'K-10', 'FSK 12', '16+', 'FSK 18'].map(reduceCertificate)).toEqual([
      'U',
      'PG',
      '12',
      '15',
      '18',
    ]);
  });
});

describe('top-k director and keyword one-hots', () => {
  const base = { key: '', title: '', genreIds: [], source: 't', updatedAt: 0 };
  const train = [
    { ...base, key: 'a', director: 'Nolan', keywords: ['space', 'time'] },
    { ...base, key: 'b', director: 'Nolan', keywords: ['space'] },
    { ...base, key: 'c', director: 'Bigelow', keywords: ['war', 'space'] },
    { ...base, key: 'd', keywords: ['war'] },
  ];
  const spec = {
    numeric: [],
    certificate: false,
    scaling: 'raw' as const,
    topDirectors: 1,
    topKeywords: 2,
  };

  it('keeps the k most frequent values of the training movies as columns', () => {
    const f = buildFeatures(train, spec);
    expect(f.names).toEqual(['director=Nolan', 'keyword=space', 'keyword=war']);
    expect(Array.from(f.x)).toEqual([1, 1, 0, 1, 1, 0, 0, 1, 1, 0, 0, 1]);
  });

  it('gives unseen directors and keywords of test movies all-zero columns', () => {
    const t = buildFeatures(train, spec).transform;
    const test = applyFeatures(t, [
      { ...base, key: 'e', director: 'Villeneuve', keywords: ['alien', 'war'] },
    ]);
    expect(Array.from(test.x)).toEqual([0, 0, 1]);
  });

  it('keeps the one-hots sparse (CSR after the dense columns) with the same values', () => {
    const full = { ...spec, numeric: ['popularity' as const], certificate: true };
    const movies = train.map((m, i) => ({ ...m, popularity: i * 2, certificate: 'PG-13' }));
    const t = fitFeatures(movies, full);
    const x = applyFeaturesTabular(t, movies);
    expect(isMixed(x)).toBe(true);
    if (!isMixed(x)) return;
    expect(x.dense.cols).toBe(1 + CERTIFICATES.length);
    expect(x.sparse.cols).toBe(3);
    expect(Array.from(x.sparse.indptr)).toEqual([0, 2, 4, 6, 7]);
    const dense = applyFeatures(t, movies);
    expect(asDense(x)).toEqual({ rows: dense.rows, cols: dense.cols, data: dense.x });
    // without one-hot columns it is the dense matrix itself
    const plain = applyFeaturesTabular(fitFeatures(movies, SPEC), movies);
    expect(isMixed(plain)).toBe(false);
  });
});
