/**
 * Merging partial results of a sharded grid (`runExperiment(..., { shard })`, the CLI's --shard
 * i/n) into the result one run over the whole grid gives. Each shard refits its own best point, so
 * the merge needs no data and no compute: the global best is the best of some shard's points,
 * hence that shard's own best (ties go to the lower grid index in both), and its refit, test
 * section and predictor are the whole run's. Timings are the one thing that differs: fitMs is the
 * best shard's refit, totalMs the sum over shards (the compute spent, not the wall clock).
 */
import type { CvEntry } from './result.ts';
import { bestCvIndex, type MetadataExperimentResult } from './runner.ts';
import type { ExperimentSpec } from './spec.ts';

/** A partial result with the name it is known by (a file name, for messages). */
export interface NamedPartial {
  name: string;
  result: MetadataExperimentResult;
}

/** Merging refused: the message says which inputs and why. */
export class MergeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MergeError';
  }
}

/** JSON with object keys sorted, so two specs compare equal whatever their key order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

/** Combines the partial results of shards 1..n of one spec; throws MergeError on any mismatch. */
export function mergeShards(parts: readonly NamedPartial[]): MetadataExperimentResult {
  if (parts.length === 0) throw new MergeError('nothing to merge: give the partial results');
  for (const p of parts)
    if (!p.result?.shard || !Array.isArray(p.result.cv))
      throw new MergeError(
        `${p.name} is not a partial result (no shard field): write one with --shard i/n`,
      );
  const first = parts[0]!;
  const { count, gridSize } = first.result.shard!;
  const spec = canonical(first.result.spec);
  for (const p of parts.slice(1)) {
    const s = p.result.shard!;
    if (canonical(p.result.spec) !== spec)
      throw new MergeError(
        `${p.name} and ${first.name} are shards of different specs; merge shards of one spec only`,
      );
    if (s.count !== count || s.gridSize !== gridSize)
      throw new MergeError(
        `${p.name} is shard ${s.index}/${s.count} of a ${s.gridSize}-point grid, ${first.name} is ${first.result.shard!.index}/${count} of ${gridSize}: the shard counts differ`,
      );
  }
  const byIndex = new Map<number, NamedPartial>();
  for (const p of parts) {
    const i = p.result.shard!.index;
    const seen = byIndex.get(i);
    if (seen)
      throw new MergeError(
        `overlapping shards: ${seen.name} and ${p.name} are both shard ${i}/${count}`,
      );
    byIndex.set(i, p);
  }
  const missing = Array.from({ length: count }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
  if (missing.length)
    throw new MergeError(
      `missing shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${count}`).join(', ')}: all ${count} are needed`,
    );
  const cv: (CvEntry | undefined)[] = new Array<CvEntry | undefined>(gridSize);
  for (const p of parts) {
    const { points } = p.result.shard!;
    if (points.length !== p.result.cv.length)
      throw new MergeError(
        `${p.name}: ${points.length} grid points but ${p.result.cv.length} cv entries`,
      );
    points.forEach((g, k) => {
      if (!(g >= 0 && g < gridSize) || cv[g])
        throw new MergeError(
          `${p.name}: grid point ${g} is outside the grid or in another shard too`,
        );
      cv[g] = p.result.cv[k]!;
    });
  }
  const holes = cv.flatMap((e, g) => (e ? [] : [g]));
  if (holes.length) throw new MergeError(`grid points ${holes.join(', ')} are in no shard`);
  const merged = cv as CvEntry[];
  const metric = (first.result.spec as ExperimentSpec).cv.metric ?? 'hammingLoss';
  const best = bestCvIndex(merged, metric);
  const owner = parts.find((p) => p.result.best.index === best);
  if (!owner)
    throw new MergeError(
      `no shard has grid point ${best + 1} (the best) as its own best: the partial results are inconsistent`,
    );
  const { shard: _shard, ...rest } = owner.result;
  return {
    ...rest,
    cv: merged,
    best: { params: merged[best]!.params, index: best },
    timings: {
      fitMs: owner.result.timings.fitMs,
      totalMs: parts.reduce((s, p) => s + p.result.timings.totalMs, 0),
    },
  };
}
