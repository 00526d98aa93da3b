/**
 * Certificates (age ratings) reduced to the paper's 7 classes. One table maps US (MPAA and TV
 * parental guidelines) and UK (BBFC) ratings; other countries' ratings that carry an age are
 * mapped by that age. The classes follow the UK scale, plus R because the paper's US-heavy data
 * kept MPAA's R (under 17 only with a parent) apart from the UK's 15 and 18.
 */

/** The 7 certificate classes, in one-hot column order. */
export const CERTIFICATES = ['Unrated', 'U', 'PG', '12', '15', '18', 'R'] as const;
export type Certificate = (typeof CERTIFICATES)[number];

/** Exact ratings, upper-cased, with the reason for each non-obvious choice. */
const BY_NAME: Readonly<Record<string, Certificate>> = {
  // US MPAA
  G: 'U', // general audiences = UK universal
  PG: 'PG',
  'PG-13': '12', // "some material may be inappropriate under 13" ~ UK 12/12A
  R: 'R',
  'NC-17': '18', // nobody 17 and under admitted ~ UK 18
  X: '18',
  M: 'PG', // 1968-70 MPAA "mature audiences", renamed GP then PG
  GP: 'PG',
  APPROVED: 'U', // pre-1968 Production Code seal: passed for general audiences
  PASSED: 'U',
  // UK BBFC
  U: 'U',
  UC: 'U',
  '12': '12',
  '12A': '12',
  '15': '15',
  '18': '18',
  R18: '18',
  // US TV parental guidelines, to the nearest age
  'TV-Y': 'U',
  'TV-Y7': 'U',
  'TV-G': 'U',
  'TV-PG': 'PG',
  'TV-14': '15', // 14 is nearer to 15 than to 12
  'TV-MA': 'R', // 17+, the TV counterpart of R
  // explicitly unrated
  NR: 'Unrated',
  'NOT RATED': 'Unrated',
  UNRATED: 'Unrated',
};

/**
 * The class of a rating. Missing or unknown text is 'Unrated' (the class for "no usable
 * rating"). Other ratings with an age in them ("FSK 16", "K-12", "16+") map by that age:
 * ≤ 6 U, ≤ 11 PG, ≤ 13 12, ≤ 16 15, otherwise 18.
 */
export function reduceCertificate(rating: string | undefined): Certificate {
  const text = (rating ?? '').trim().toUpperCase();
  const known = BY_NAME[text];
  if (known) return known;
  const age = /(\d{1,2})/.exec(text)?.[1];
  if (age === undefined) return 'Unrated';
  const n = Number(age);
  if (n <= 6) return 'U';
  if (n <= 11) return 'PG';
  if (n <= 13) return '12';
  if (n <= 16) return '15';
  return '18';
}
