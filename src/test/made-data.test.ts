/**
 * The data the tests make for themselves on a clone without ../shared (movies-csv.ts, posters.ts):
 * the importer reads it as the real layouts it copies, with the fields the journeys need.
 */
import jpeg from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { parseMoviesCsv } from '../lib/data/csv.ts';
import { PAPER7 } from '../lib/features/groups.ts';
import { madeMetadataCsv } from './movies-csv.ts';
import { labelledPosters, madePoster } from './posters.ts';

describe('madeMetadataCsv', () => {
  it('reads as the TMDb + IMDb 2011–2016 layout, every row a movie with the paper features', async () => {
    const r = await parseMoviesCsv(madeMetadataCsv(300), { source: 'made.csv' });
    expect(r.shape).toBe('tmdb-imdb');
    expect(r.rejected).toEqual([]);
    expect(r.movies).toHaveLength(300);
    for (const m of r.movies) {
      expect(m.genreIds.length).toBeGreaterThanOrEqual(1);
      expect(m.genreIds.length).toBeLessThanOrEqual(3);
      expect(m.year).toBeGreaterThanOrEqual(2011);
      expect(m.year).toBeLessThanOrEqual(2016);
      for (const v of [m.popularity, m.voteCount, m.voteAverage, m.month])
        expect(Number.isFinite(v)).toBe(true);
    }
    // Seeded: the same text every time, another seed another text.
    expect(madeMetadataCsv(50)).toBe(madeMetadataCsv(50));
    expect(madeMetadataCsv(50, 2)).not.toBe(madeMetadataCsv(50));
  });
});

describe('labelledPosters', () => {
  it("reads as Kaggle's labels.csv, each movie in a paper group, with one distinct JPEG each", async () => {
    const { csv, posters } = labelledPosters(12, 1, [30, 45]);
    const r = await parseMoviesCsv(csv, { source: 'labels.csv' });
    expect(r.movies.map((m) => m.key)).toEqual(
      posters.map((p) => `imdb:${p.name.replace('.jpg', '')}`),
    );
    const paper = new Set(PAPER7.flatMap((g) => g.genreIds));
    for (const m of r.movies) expect(m.genreIds.some((g) => paper.has(g))).toBe(true);
    const pixels = posters.map((p) => jpeg.decode(p.bytes, { useTArray: true }));
    for (const d of pixels) expect([d.width, d.height]).toEqual([30, 45]);
    expect(new Set(posters.map((p) => Buffer.from(p.bytes).toString('base64'))).size).toBe(12);
  });

  it('madePoster is a seeded 182×268 JPEG', () => {
    const d = jpeg.decode(madePoster(5), { useTArray: true });
    expect([d.width, d.height]).toEqual([182, 268]);
    expect(madePoster(5)).toEqual(madePoster(5));
    expect(madePoster(6)).not.toEqual(madePoster(5));
  });
});
