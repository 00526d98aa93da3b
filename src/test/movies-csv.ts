/**
 * Tests only: small movies CSVs generated in each layout the importer knows (the real files' headers
 * and cell formats, our own made-up movies), in UTF-8, UTF-8 with BOM and CRLF, and Windows-1252, so
 * the parser is covered on a clone without the shared data folder.
 */

export type Layout = 'cs109b' | 'tmdb-imdb' | 'tmdb5000' | 'imdb5000' | 'genre-labels';
export type Encoding = 'utf-8' | 'utf-8-bom-crlf' | 'windows-1252';

export const LAYOUTS: readonly Layout[] = [
  'cs109b',
  'tmdb-imdb',
  'tmdb5000',
  'imdb5000',
  'genre-labels',
];
export const ENCODINGS: readonly Encoding[] = ['utf-8', 'utf-8-bom-crlf', 'windows-1252'];

interface Made {
  tmdbId: number;
  imdbId: string;
  title: string;
  genreIds: number[];
  year: number;
  director: string;
}

/** Three movies; the first title needs Windows-1252's high bytes (é, en dash, €). */
export const MADE_UP: readonly Made[] = [
  {
    tmdbId: 900001,
    imdbId: 'tt9000001',
    title: 'Amélie – Café €5',
    genreIds: [18, 53],
    year: 2011,
    director: 'Ann Example',
  },
  {
    tmdbId: 900002,
    imdbId: 'tt9000002',
    title: 'Quoted, "Comma" Title',
    genreIds: [35],
    year: 2012,
    director: 'Bo Sample',
  },
  {
    tmdbId: 900003,
    imdbId: 'tt9000003',
    title: 'Plain Action',
    genreIds: [28, 878],
    year: 2016,
    director: 'Cy Test',
  },
];

const TMDB_NAME: Record<number, string> = {
  18: 'Drama',
  53: 'Thriller',
  35: 'Comedy',
  28: 'Action',
  878: 'Science Fiction',
};
const IMDB_NAME: Record<number, string> = { ...TMDB_NAME, 878: 'Sci-Fi' };
const ONE_HOT = [
  10402, 10749, 10751, 10752, 10770, 12, 14, 16, 18, 27, 28, 35, 36, 37, 53, 80, 878, 9648, 99,
];

const cell = (v: string | number): string => {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

function rows(layout: Layout, m: Made): (string | number)[] {
  const oneHot = ONE_HOT.map((g) => (m.genreIds.includes(g) ? 1 : 0));
  const digits = m.imdbId.slice(2);
  switch (layout) {
    case 'cs109b':
      return [
        ...oneHot,
        'False',
        m.director,
        "[u'Lead One', u'Lead Two']",
        m.tmdbId,
        'An overview.',
        1.5,
        '/p.jpg',
        `${m.year}-03-04`,
        m.title,
        'False',
        6.5,
        120,
      ];
    case 'tmdb-imdb':
      return [
        '/p.jpg',
        m.title,
        `3/4/${m.year}`,
        m.tmdbId,
        `[${m.genreIds.join(', ')}]`,
        ...oneHot,
        m.year,
        Number(digits),
        m.title,
        100,
        m.director,
      ];
    case 'tmdb5000':
      return [
        1000000,
        JSON.stringify(m.genreIds.map((id) => ({ id, name: TMDB_NAME[id] }))),
        m.tmdbId,
        JSON.stringify([{ id: 1, name: 'made up' }]),
        m.title,
        `${m.year}-03-04`,
        120,
      ];
    case 'imdb5000':
      return [
        m.director,
        m.genreIds.map((id) => IMDB_NAME[id]).join('|'),
        `${m.title} `,
        5000,
        'made up|keyword',
        `http://www.imdb.com/title/${m.imdbId}/?ref_=fn_tt_tt_1`,
        'PG-13',
        m.year,
      ];
    case 'genre-labels':
      return [m.imdbId, m.genreIds.map((id) => IMDB_NAME[id]).join('|')];
  }
}

const HEADERS: Record<Layout, string> = {
  cs109b: `${ONE_HOT.join(',')},adult,director,lead actors,movie_id,overview,popularity,poster_path,release_date,title,video,vote_average,vote_count`,
  'tmdb-imdb': `poster_path,title,release_date,id,genre_ids,${ONE_HOT.join(',')},release_year,imdb_id,imdb_title,runtime,director`,
  tmdb5000: 'budget,genres,id,keywords,title,release_date,vote_count',
  imdb5000:
    'director_name,genres,movie_title,num_voted_users,plot_keywords,movie_imdb_link,content_rating,title_year',
  'genre-labels': 'imdb_id,genres',
};

/** The CSV text: a header, the three movies, then the first movie again (a duplicate row). */
export function layoutCsv(layout: Layout, eol = '\n'): string {
  const body = [...MADE_UP, MADE_UP[0]!].map((m) => rows(layout, m).map(cell).join(','));
  return [HEADERS[layout], ...body].join(eol) + eol;
}

/** Windows-1252 bytes of text (Latin-1 plus the few cp1252 letters the fixtures use). */
function windows1252(text: string): Uint8Array {
  const extra: Record<string, number> = { '€': 0x80, '–': 0x96, '—': 0x97, '’': 0x92 };
  return Uint8Array.from(text, (ch) => {
    const code = extra[ch] ?? ch.charCodeAt(0);
    if (code > 0xff || (code >= 0x80 && code < 0xa0 && !(ch in extra))) {
      throw new Error(`no Windows-1252 byte for ${JSON.stringify(ch)} in this fixture encoder`);
    }
    return code;
  });
}

/** The file's bytes in the given encoding (the BOM variant also uses CRLF line ends). */
export function layoutBytes(layout: Layout, encoding: Encoding): Uint8Array {
  if (encoding === 'windows-1252') return windows1252(layoutCsv(layout, '\r\n'));
  if (encoding === 'utf-8') return new TextEncoder().encode(layoutCsv(layout));
  const text = new TextEncoder().encode(layoutCsv(layout, '\r\n'));
  return new Uint8Array([0xef, 0xbb, 0xbf, ...text]);
}

/** What the importer should make of each movie: its key, title and sorted genre ids. */
export function expectedMovies(
  layout: Layout,
): { key: string; title: string; genreIds: number[] }[] {
  const byImdb = layout === 'imdb5000' || layout === 'genre-labels';
  return MADE_UP.map((m) => ({
    key: byImdb ? `imdb:${m.imdbId}` : `tmdb:${m.tmdbId}`,
    title: layout === 'genre-labels' ? m.imdbId : m.title,
    genreIds: [...m.genreIds].sort((a, b) => a - b),
  }));
}

/** A larger generic CSV (tmdb_id,title,genres): n rows, every tenth repeating the row before it. */
export function manyMoviesCsv(n: number): { text: string; rows: number; movies: number } {
  const lines = ['tmdb_id,title,genres'];
  let movies = 0;
  for (let i = 0; i < n; i++) {
    const id = i % 10 === 9 ? movies : ++movies;
    lines.push(`${id},Movie ${id},Drama|Comedy`);
  }
  return { text: lines.join('\n') + '\n', rows: n, movies };
}

/** The header of the TMDb + IMDb 2011–2016 metadata file (the paper's Table 1 data). */
const METADATA_HEADER =
  'poster_path,title,release_date,overview,popularity,original_title,backdrop_path,vote_count,video,adult,vote_average,original_language,id,genre_ids,12,14,16,18,27,28,35,36,37,53,80,99,878,9648,10402,10749,10751,10752,10770,release_year,imdb_id,imdb_title,runtime,director,aspect_ratio';
const METADATA_GENRES = [
  12, 14, 16, 18, 27, 28, 35, 36, 37, 53, 80, 99, 878, 9648, 10402, 10749, 10751, 10752, 10770,
];

/**
 * n made-up movies in the layout of the TMDb + IMDb 2011–2016 metadata file (same header, cell
 * formats and columns: popularity, votes, rating, dates, one-hot genres; no certificate, IMDb
 * votes, stunts or effects), with seeded values, 1–3 genres per movie and genres that lean on
 * popularity and rating, so the metadata models have something to learn. Plain ASCII.
 */
export function madeMetadataCsv(n: number, seed = 1): string {
  let state = seed >>> 0 || 1;
  const random = (): number => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
  const lines = [METADATA_HEADER];
  for (let i = 0; i < n; i++) {
    const year = 2011 + Math.floor(random() * 6);
    const month = 1 + Math.floor(random() * 12);
    const popularity = Math.exp(random() * 4) - 0.5;
    const rating = Math.round((3 + random() * 6) * 10) / 10;
    const votes = Math.floor(popularity * 40 * random()) + 1;
    // Popular films lean to action and adventure, well-rated ones to drama: learnable, not exact.
    const genres = new Set<number>();
    if (popularity > 10 && random() < 0.7) genres.add(28).add(12);
    if (rating > 7 && random() < 0.7) genres.add(18);
    while (genres.size < 1 + Math.floor(random() * 3)) {
      genres.add(METADATA_GENRES[Math.floor(random() * METADATA_GENRES.length)]!);
    }
    const ids = [...genres].sort((a, b) => a - b);
    const title = `Made Movie ${i + 1}`;
    lines.push(
      [
        `/made${i + 1}.jpg`,
        title,
        `${month}/${1 + Math.floor(random() * 28)}/${year}`,
        '"An overview, made up."',
        popularity.toFixed(6),
        title,
        `/back${i + 1}.jpg`,
        votes,
        'FALSE',
        'FALSE',
        rating,
        'en',
        800001 + i,
        `"[${ids.join(', ')}]"`,
        ...METADATA_GENRES.map((g) => (genres.has(g) ? 1 : 0)),
        year,
        9300001 + i,
        title,
        80 + Math.floor(random() * 70),
        `Director ${1 + Math.floor(random() * 400)}`,
        '2.35 : 1',
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}
