/**
 * A metadata run's model as one JSON file (`marquee-metadata-model`, version 1) that the studio
 * reads back and other tools can read: the fitted feature transform (which movie fields, in which
 * column order, how scaled; which directors and keywords got a column), the model itself (its
 * registry JSON: its name and parameters), the genre groups with their TMDb genre ids, labels and
 * thresholds. The per-movie out-of-fold and test scores stay behind: they name this library's
 * movies and only serve its fusion weights.
 */
import type { MetadataPredictor } from '../experiments/runner.ts';

export const METADATA_MODEL_FORMAT = 'marquee-metadata-model';

/** The exported file. */
export interface MetadataModelFile {
  format: typeof METADATA_MODEL_FORMAT;
  version: 1;
  name: string;
  createdAt: string;
  labels: string[];
  groups: MetadataPredictor['groups'];
  thresholds: number[];
  transform: MetadataPredictor['transform'];
  model: MetadataPredictor['model'];
}

/** The file's JSON text for a run's predictor. */
export function metadataModelJson(p: MetadataPredictor, name: string, now = new Date()): string {
  const file: MetadataModelFile = {
    format: METADATA_MODEL_FORMAT,
    version: 1,
    name,
    createdAt: now.toISOString(),
    labels: [...p.labels],
    groups: p.groups.map((g) => ({ name: g.name, genreIds: [...g.genreIds] })),
    thresholds: [...p.thresholds],
    transform: p.transform,
    model: p.model,
  };
  return `${JSON.stringify(file)}\n`;
}

/** Every problem with a parsed file, or [] when it can be used. */
export function metadataModelProblems(v: unknown): string[] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return ['not a JSON object'];
  const f = v as Partial<MetadataModelFile>;
  const p: string[] = [];
  if (f.format !== METADATA_MODEL_FORMAT) p.push(`format: expected "${METADATA_MODEL_FORMAT}"`);
  if (f.version !== 1) p.push('version: expected 1');
  const labels = Array.isArray(f.labels) ? f.labels : null;
  if (!labels?.length || !labels.every((l) => typeof l === 'string'))
    p.push('labels: expected a list of names');
  if (
    !Array.isArray(f.thresholds) ||
    f.thresholds.length !== labels?.length ||
    !f.thresholds.every((t) => typeof t === 'number' && t >= 0 && t <= 1)
  )
    p.push('thresholds: expected one number in [0, 1] per label');
  if (!Array.isArray(f.groups) || f.groups.length !== labels?.length)
    p.push('groups: expected one genre group per label');
  const t = f.transform as Partial<MetadataPredictor['transform']> | undefined;
  if (!t || !Array.isArray(t.names) || !Array.isArray(t.numeric))
    p.push('transform: expected the fitted feature transform (names, numeric columns)');
  if (typeof f.model !== 'object' || f.model === null || typeof f.model.name !== 'string')
    p.push('model: expected a model with its name (the registry kind)');
  return p;
}

/** Reads a file back as a predictor (with no per-movie scores); throws RangeError listing the problems. */
export function readMetadataModel(text: string): MetadataPredictor & { name: string } {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    throw new RangeError('not a metadata model: the file is not valid JSON');
  }
  const problems = metadataModelProblems(v);
  if (problems.length) throw new RangeError(`not a metadata model: ${problems.join('; ')}`);
  const f = v as MetadataModelFile;
  return {
    name: f.name,
    model: f.model,
    transform: f.transform,
    groups: f.groups,
    labels: f.labels,
    thresholds: f.thresholds,
    oof: { keys: [], scores: [] },
    test: { keys: [], scores: [] },
  };
}
