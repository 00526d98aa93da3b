/**
 * Poster models between their three shapes: files (model.json + card.json + shards, as fetched,
 * exported or dropped), a library record (tfjs artifacts with one weight buffer), and downloads.
 * Pure: no DOM, no IndexedDB; validation itself is `modelFilesProblems` (cardProblems,
 * compatibilityProblems, artifactProblems).
 */
import type { ModelFiles } from '../../predict/session.ts';
import type { ModelRecord } from '../../storage/records.ts';
import { errorMessage } from '../../core/errors.ts';

/** The single shard name used for saved and exported models. */
export const WEIGHTS_FILE = 'weights.bin';

interface Manifest {
  modelTopology?: unknown;
  weightsManifest?: { paths?: string[]; weights?: unknown[] }[];
  [k: string]: unknown;
}

/** A library record holding the files' topology, weight specs and all shards joined in manifest order. */
export function filesToRecord(files: ModelFiles, id: string, createdAt: number): ModelRecord {
  const m = files.modelJson as Manifest;
  const groups = m.weightsManifest ?? [];
  const parts = groups.flatMap((g) =>
    (g.paths ?? []).map((p) => new Uint8Array(files.shards[p] ?? new ArrayBuffer(0))),
  );
  const weightData = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    weightData.set(p, at);
    at += p.length;
  }
  const name = (files.card as { name?: unknown }).name;
  return {
    id,
    createdAt,
    name: typeof name === 'string' ? name : id,
    card: files.card,
    artifacts: {
      modelTopology: m.modelTopology,
      weightSpecs: groups.flatMap((g) => g.weights ?? []),
      weightData: weightData.buffer,
    },
  };
}

/** The files of a saved record: a model.json naming one shard, `weights.bin`. */
export function recordToFiles(rec: ModelRecord): ModelFiles {
  if (!rec.artifacts) throw new Error(`${rec.name}: no tfjs artifacts (not a poster model)`);
  return {
    modelJson: {
      format: 'layers-model',
      generatedBy: 'marquee',
      modelTopology: rec.artifacts.modelTopology,
      weightsManifest: [{ paths: [WEIGHTS_FILE], weights: rec.artifacts.weightSpecs }],
    },
    card: rec.card,
    shards: { [WEIGHTS_FILE]: rec.artifacts.weightData },
  };
}

/** Files to download for an export: model.json, its shards, card.json (one folder, loadable by `npm run predict`). */
export function exportFiles(files: ModelFiles): { name: string; bytes: Uint8Array }[] {
  const text = (v: unknown) => new TextEncoder().encode(JSON.stringify(v, null, 1));
  return [
    { name: 'model.json', bytes: text(files.modelJson) },
    ...Object.entries(files.shards).map(([name, b]) => ({ name, bytes: new Uint8Array(b) })),
    { name: 'card.json', bytes: text(files.card) },
  ];
}

/** Dropped files → model files, or the reasons they are not one model (missing or unreadable JSON). */
export function filesFromDrop(
  dropped: readonly { name: string; bytes: Uint8Array }[],
): { ok: true; files: ModelFiles } | { ok: false; problems: string[] } {
  const problems: string[] = [];
  const json = (name: string): unknown => {
    const f = dropped.find((d) => d.name === name);
    if (!f)
      return void problems.push(
        `missing ${name} (drop model.json, its weight files and card.json together)`,
      );
    try {
      return JSON.parse(new TextDecoder().decode(f.bytes)) as unknown;
    } catch (e) {
      problems.push(`${name}: not JSON (${errorMessage(e)})`);
    }
  };
  const modelJson = json('model.json');
  const card = json('card.json');
  if (problems.length) return { ok: false, problems };
  const shards: Record<string, ArrayBuffer> = {};
  for (const d of dropped) if (!d.name.endsWith('.json')) shards[d.name] = d.bytes.slice().buffer;
  return { ok: true, files: { modelJson, card, shards } };
}
