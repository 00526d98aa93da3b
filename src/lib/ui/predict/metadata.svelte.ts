/**
 * The Predict panel's metadata side: the finished metadata runs that kept a model, a library movie
 * or a form scored by the chosen run (in the train worker), the poster model on the movie's poster,
 * and their late fusion with weights learned honestly (fusion-eval.ts) and saved in the settings.
 */
import type { Movie } from '../../data/types.ts';
import type { MetadataExperimentResult } from '../../experiments/runner.ts';
import {
  evaluateFusion,
  probabilitiesByFile,
  type FusionEvaluation,
} from '../../predict/fusion-eval.ts';
import { fuse } from '../../predict/fusion.ts';
import {
  metadataFields,
  movieFromForm,
  truthByKey,
  type FormValue,
  type MetadataField,
  type MetadataPredictor,
} from '../../predict/metadata-model.ts';
import { compute } from '../../state/compute.svelte.ts';
import { library } from '../../state/library.svelte.ts';
import { predictMetadataInWorker, useTrainBackend } from '../../workers/train-client.ts';
import type { PredictState } from './predict.svelte.ts';
import { errorMessage } from '../../core/errors.ts';

/** A finished metadata run that can predict. */
export interface MetadataRunOption {
  id: string;
  name: string;
  createdAt: number;
  microF1: number;
  predictor: MetadataPredictor;
}

/** A learned fusion, saved under FUSION_SETTING keyed by `${runId}|${posterModelId}`. */
export interface SavedFusion extends FusionEvaluation {
  runId: string;
  runName: string;
  posterModelId: string;
  posterModelName: string;
  labels: string[];
  createdAt: number;
}

/** One library movie's predictions (poster and combined only when it has a poster). */
export interface MovieResult {
  key: string;
  title: string;
  posterUrl?: string;
  metadata: number[];
  poster: number[] | null;
  combined: number[] | null;
}

export const FUSION_SETTING = 'predict.fusion';
const fusionKey = (runId: string, posterId: string) => `${runId}|${posterId}`;

export class MetadataPredictState {
  runs = $state.raw<MetadataRunOption[]>([]);
  runId = $state('');
  fusion = $state.raw<SavedFusion | null>(null);
  movie = $state.raw<MovieResult | null>(null);
  formResult = $state.raw<number[] | null>(null);
  busy = $state(false);
  message = $state('');
  fusionProgress = $state('');
  #backend: Promise<unknown> | undefined;

  constructor(private readonly poster: PredictState) {}

  get run(): MetadataRunOption | undefined {
    return this.runs.find((r) => r.id === this.runId);
  }
  get fields(): MetadataField[] {
    const r = this.run;
    return r ? metadataFields(r.predictor) : [];
  }
  /** Whether the run's labels are the poster model's (needed to fuse). */
  get fusable(): boolean {
    const r = this.run;
    const card = this.poster.card;
    return !!r && !!card && r.predictor.labels.join('|') === card.labels.join('|');
  }

  /** Lists the finished metadata runs with a saved model (newest first) and picks one. */
  async load(): Promise<void> {
    const all = await (await library.open()).listRuns();
    this.runs = all
      .filter((r) => r.kind === 'metadata' && r.status === 'done')
      .flatMap((r) => {
        const res = r.result as MetadataExperimentResult | null;
        if (!res?.predictor) return [];
        const name = (r.spec as { name?: string }).name ?? res.spec.model.kind;
        return [
          {
            id: r.id,
            name,
            createdAt: r.createdAt,
            microF1: res.test.microF1,
            predictor: res.predictor,
          },
        ];
      })
      .sort((a, b) => b.createdAt - a.createdAt);
    if (!this.run && this.runs[0]) await this.choose(this.runs[0].id);
  }

  async choose(id: string): Promise<void> {
    this.runId = id;
    this.movie = null;
    this.formResult = null;
    await this.loadFusion();
  }

  /** The saved fusion of the chosen run and the active poster model, if any. */
  async loadFusion(): Promise<void> {
    const all =
      (await (await library.open()).getSetting<Record<string, SavedFusion>>(FUSION_SETTING)) ?? {};
    this.fusion = all[fusionKey(this.runId, this.poster.activeId)] ?? null;
  }

  async #metadata(movies: Movie[]): Promise<number[][]> {
    const r = this.run;
    if (!r) throw new Error('choose a metadata run first');
    this.#backend ??= compute.ensure().then((c) => useTrainBackend(c.name));
    await this.#backend;
    const flat = await predictMetadataInWorker(r.id, r.predictor, movies);
    const cols = r.predictor.labels.length;
    return movies.map((_, i) => Array.from(flat.subarray(i * cols, (i + 1) * cols)));
  }

  async #posterOf(
    keys: string[],
    onDone?: (d: number, n: number) => void,
  ): Promise<ReadonlyMap<string, number[]>> {
    const db = await library.open();
    const files: { name: string; bytes: Uint8Array }[] = [];
    for (const key of keys) {
      const p = await db.getPoster(key);
      if (p) files.push({ name: key, bytes: new Uint8Array(await p.blob.arrayBuffer()) });
    }
    return probabilitiesByFile(await this.poster.predictBytes(files, onDone));
  }

  async #guard(job: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.message = '';
    try {
      await job();
    } catch (e) {
      this.message = errorMessage(e);
    } finally {
      this.busy = false;
    }
  }

  /** Metadata, poster and (with a learned fusion) combined probabilities of a library movie. */
  predictMovie(key: string): Promise<void> {
    return this.#guard(async () => {
      const m = await library.getMovie(key);
      if (!m) throw new Error(`${key} is no longer in the library`);
      const [metadata] = await this.#metadata([m]);
      const canPoster = library.posterKeys.has(key) && this.poster.status === 'ready';
      const poster = canPoster ? ((await this.#posterOf([key])).get(key) ?? null) : null;
      const f = this.fusion;
      const combined =
        poster && f && this.fusable ? Array.from(fuse(poster, metadata!, f.weights.poster)) : null;
      this.movie = {
        key,
        title: m.title,
        posterUrl: await library.posterUrl(key),
        metadata: metadata!,
        poster,
        combined,
      };
    });
  }

  /** Metadata probabilities of a movie described by the form (blanks imputed as in training). */
  predictForm(values: Record<string, FormValue>): Promise<void> {
    return this.#guard(async () => {
      const [p] = await this.#metadata([movieFromForm(values)]);
      this.formResult = p!;
    });
  }

  /**
   * Learns the fusion weights on the run's training movies with posters (out-of-fold metadata
   * probabilities), reports the three predictors on its test movies with posters, saves it.
   */
  learnFusion(): Promise<void> {
    return this.#guard(async () => {
      const r = this.run;
      const card = this.poster.card;
      if (!r || !card || !this.fusable)
        throw new Error("the run's labels differ from the poster model's");
      const p = r.predictor;
      const wanted = [...p.oof.keys, ...p.test.keys].filter((k) => library.posterKeys.has(k));
      this.fusionProgress = `Poster model on ${wanted.length} library posters…`;
      const poster = await this.#posterOf(
        wanted,
        (d, n) => (this.fusionProgress = `Poster model: ${d}/${n} posters`),
      );
      const truth = truthByKey(await library.getMovies(wanted), wanted, p.groups);
      const ev = evaluateFusion({
        cols: p.labels.length,
        oof: p.oof,
        test: p.test,
        poster,
        truth,
        thresholds: { poster: card.thresholds, metadata: p.thresholds },
      });
      const saved: SavedFusion = {
        ...ev,
        runId: r.id,
        runName: r.name,
        posterModelId: this.poster.activeId,
        posterModelName: card.name,
        labels: [...p.labels],
        createdAt: Date.now(),
      };
      const db = await library.open();
      const all = (await db.getSetting<Record<string, SavedFusion>>(FUSION_SETTING)) ?? {};
      await db.putSetting(FUSION_SETTING, {
        ...all,
        [fusionKey(r.id, this.poster.activeId)]: saved,
      });
      this.fusion = saved;
      this.fusionProgress = '';
      if (this.movie?.poster) {
        const combined = Array.from(
          fuse(this.movie.poster, this.movie.metadata, saved.weights.poster),
        );
        this.movie = { ...this.movie, combined };
      }
    });
  }
}
