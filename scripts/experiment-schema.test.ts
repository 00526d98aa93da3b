import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { describe, expect, it } from 'vitest';
import { posterSpecProblems } from '../src/lib/experiments/poster-spec.ts';
import { SpecError, parseSpec } from '../src/lib/experiments/spec.ts';
import { SCHEMA_PATH, schemaText } from './experiment-schema.ts';

const ROOT = new URL('..', import.meta.url).pathname;
const SPECS = join(ROOT, 'examples/specs');
const schema = JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object;
const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addSchema(schema, 'spec');
const validateFile = ajv.getSchema('spec')!;
const validateMetadata = ajv.getSchema('spec#/definitions/ExperimentSpec')!;
const validatePosters = ajv.getSchema('spec#/definitions/PosterExperimentSpec')!;

/** The fields a schema error is about: 'model.params.C', 'note' (an unknown top-level field)… */
function schemaFields(errors: readonly ErrorObject[]): string[] {
  const fields = errors
    .filter((e) => e.keyword !== 'if' && e.keyword !== 'anyOf')
    .map((e) => {
      const path = e.instancePath
        .split('/')
        .filter((p) => p !== '' && !/^\d+$/.test(p))
        .join('.');
      const extra = (e.params as { additionalProperty?: string }).additionalProperty;
      return extra ? (path ? `${path}.${extra}` : extra) : path;
    });
  // Of a field and a deeper one (an anyOf's failed 'paper7' branch beside its list's item), keep the deeper.
  const unique = [...new Set(fields)];
  return unique.filter((f) => !unique.some((g) => g.startsWith(`${f}.`))).sort();
}

/** The fields the checker's messages name: 'cv.folds: …', "spec: unknown field 'note'", "model.params: unknown parameter 'x'". */
function checkerFields(problems: readonly string[]): string[] {
  const fields = problems.map((p) => {
    const where = p.slice(0, p.indexOf(':')).replace(/\[\d+\].*$/, '');
    const unknown = /unknown (?:field|parameter) '([^']+)'/.exec(p);
    if (unknown) return where === 'spec' ? unknown[1]! : `${where}.${unknown[1]}`;
    return where;
  });
  return [...new Set(fields)].sort();
}

function metadataProblems(spec: unknown): string[] {
  try {
    parseSpec(spec);
    return [];
  } catch (e) {
    if (e instanceof SpecError) return e.problems;
    throw e;
  }
}

const example = (f: string) => JSON.parse(readFileSync(join(SPECS, f), 'utf8')) as object;
const FILES = readdirSync(SPECS).filter((f) => f.endsWith('.json'));

const POSTER_SPEC = {
  name: 'transfer on posters',
  data: { posters: 'posters/', labels: 'movies.csv' },
  labels: { groups: [{ name: 'Drama', genreIds: [18] }] },
  model: { kind: 'transfer', grid: { epochs: [2, 4] } },
  validation: { fraction: 0.2 },
  split: { testFraction: 0.2, seed: 1 },
  limit: 200,
};

describe('schema/experiment-spec.schema.json', () => {
  it('is what npm run schema generates from the types today', { timeout: 300_000 }, async () => {
    expect(readFileSync(SCHEMA_PATH, 'utf8')).toBe(await schemaText());
  });

  it('has example specs to check', () => expect(FILES.length).toBeGreaterThanOrEqual(5));

  it.for(FILES)('accepts examples/specs/%s, as the checker does', (file) => {
    const spec = example(file);
    expect(metadataProblems(spec)).toEqual([]);
    expect(validateFile(spec), JSON.stringify(validateFile.errors)).toBe(true);
    expect(validateMetadata(spec)).toBe(true);
  });

  it('accepts a posters spec, as the checker does', () => {
    expect(posterSpecProblems(POSTER_SPEC)).toEqual([]);
    expect(validateFile(POSTER_SPEC), JSON.stringify(validateFile.errors)).toBe(true);
  });

  it('refuses a broken metadata spec naming the fields the checker names', () => {
    const base = example('forest.json') as Record<string, Record<string, unknown>>;
    const broken = {
      ...base,
      note: 'not a field',
      features: { ...base.features, scaling: 'zscore', topKeywords: 2.5 },
      sampling: { method: 'smote' },
      model: { kind: 'forest', params: { nEstimators: 0, bogus: 3 }, grid: { maxDepth: [0] } },
      labels: { groups: [{ name: 'Odd', genreIds: [12345] }] },
      cv: { folds: 1 },
      split: { testFraction: 1.5, seed: 42 },
    };
    const problems = metadataProblems(broken);
    expect(validateFile(broken)).toBe(false);
    expect(validateMetadata(broken)).toBe(false);
    const fields = checkerFields(problems);
    expect(fields).toEqual([
      'cv.folds',
      'features.scaling',
      'features.topKeywords',
      'labels.groups',
      'model.grid.maxDepth',
      'model.params.bogus',
      'model.params.nEstimators',
      'note',
      'sampling.method',
      'split.testFraction',
    ]);
    expect(schemaFields(validateMetadata.errors!)).toEqual(
      fields.map((f) => (f === 'labels.groups' ? 'labels.groups.genreIds' : f)),
    );
  });

  it('refuses a broken posters spec naming the fields the checker names', () => {
    const broken = {
      ...POSTER_SPEC,
      model: { kind: 'forest' },
      validation: { fraction: 2 },
      limit: 5,
    };
    const problems = posterSpecProblems(broken);
    expect(validateFile(broken)).toBe(false);
    expect(validatePosters(broken)).toBe(false);
    const fields = checkerFields(problems);
    expect(fields).toEqual(['limit', 'model.kind', 'validation.fraction']);
    expect(schemaFields(validatePosters.errors!)).toEqual(fields);
  });

  it.for([
    ['cv.folds', { cv: { folds: 1 } }],
    ['split.seed', { split: { testFraction: 0.2, seed: -1 } }],
    ['model.kind', { model: { kind: 'boosting' } }],
    ['model.params.C', { model: { kind: 'svm', params: { C: 0 } } }],
    ['sampling.percentage', { sampling: { method: 'paper', percentage: 100 } }],
  ] as const)('one defect, one field: %s', ([field, patch]) => {
    const broken = { ...example('logistic.json'), ...patch };
    expect(checkerFields(metadataProblems(broken))).toEqual([field]);
    expect(validateMetadata(broken)).toBe(false);
    expect(schemaFields(validateMetadata.errors!)).toEqual([field]);
  });
});
