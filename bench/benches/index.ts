import type { Bench } from '../types.ts';
import { backends } from './backends.ts';
import { bigLibrary } from './big-library.ts';
import { cnnTrain } from './cnn-train.ts';
import { coldStart } from './cold-start.ts';
import { crawl } from './crawl.ts';
import { exploreGenres, keywordForest } from './explore.ts';
import { instantStyle } from './instant-style.ts';
import { posterImport } from './poster-import.ts';
import { posters } from './posters.ts';
import { projectTransfer } from './project-transfer.ts';
import { predict } from './predict.ts';
import { style } from './style.ts';
import { styleEval } from './style-eval.ts';
import { tabular } from './tabular.ts';
import { siteWeight } from './site-weight.ts';
import { threads } from './threads.ts';
import { wideTabular } from './wide-tabular.ts';

/** Every named benchmark, in the order `npm run bench` runs them. */
export const BENCHES: Bench[] = [
  coldStart,
  backends,
  posterImport,
  projectTransfer,
  exploreGenres,
  keywordForest,
  bigLibrary,
  cnnTrain,
  posters,
  style,
  styleEval,
  instantStyle,
  tabular,
  wideTabular,
  predict,
  crawl,
  threads,
  siteWeight,
];
