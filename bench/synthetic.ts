import { mulberry32 } from '../src/lib/features/random.ts';
import { GENRE_COLUMNS } from '../src/lib/features/groups.ts';

/**
 * A clearly synthetic movies CSV in the paper's column layout, for workloads larger than the
 * shared data: `rows` movies with 1–4 TMDb genres and `keywordsPerMovie` keywords drawn from a
 * Zipf-like vocabulary of `vocabulary` words, where each genre favours its own slice of words
 * (so a keyword forest has real signal to find). Seeded: the same arguments give the same file.
 */
export function syntheticPaperCsv(
  rows: number,
  vocabulary: number,
  keywordsPerMovie: number,
  seed = 7,
): string {
  const rng = mulberry32(seed);
  const lines = [
    'genre_ids,title,poster_path,tmdb_id,popularity,keywords,vote_count,vote_average,director,imdb_votes,certificate,num_stunts,num_fx,year,month',
  ];
  const zipf = () =>
    Math.min(vocabulary - 1, Math.floor(Math.exp(rng() * Math.log(vocabulary))) - 1);
  for (let i = 1; i <= rows; i++) {
    const n = 1 + Math.floor(rng() * 4);
    const genres = [
      ...new Set(
        Array.from({ length: n }, () => GENRE_COLUMNS[Math.floor(rng() * GENRE_COLUMNS.length)]!),
      ),
    ];
    const words = new Set<string>();
    for (let k = 0; k < keywordsPerMovie; k++) {
      // Half the keywords come from the first genre's own band of the vocabulary.
      const band =
        GENRE_COLUMNS.indexOf(genres[0]!) * Math.floor(vocabulary / GENRE_COLUMNS.length);
      words.add(`kw${rng() < 0.5 ? band + Math.floor(rng() * 40) : zipf()}`);
    }
    lines.push(
      `"[${genres.join(', ')}]",Synthetic ${i},/s${i}.jpg,${i},${(rng() * 50).toFixed(3)},"${[...words].join(',')}",${Math.floor(rng() * 5000)},${(rng() * 10).toFixed(1)},Director ${i % 500},${Math.floor(rng() * 1e5)},PG-13,${Math.floor(rng() * 20)},${Math.floor(rng() * 40)},${1980 + Math.floor(rng() * 37)},${1 + Math.floor(rng() * 12)}`,
    );
  }
  return lines.join('\n') + '\n';
}
