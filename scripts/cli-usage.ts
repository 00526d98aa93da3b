/**
 * `--help` for the command-line tools: usage, options, examples and exit codes, in one place so the
 * README and the tests read the same text.
 */

export interface Usage {
  command: string;
  summary: string;
  options: [flag: string, meaning: string][];
  examples: string[];
  exitCodes: [code: number, meaning: string][];
  environment?: [name: string, meaning: string][];
}

export const EXPERIMENT_USAGE: Usage = {
  command:
    'npm run experiment -- --spec <spec.json> [--out <result.json>] [options]\n' +
    '       npm run experiment -- --merge <part1.json> <part2.json> … [--out <result.json>]',
  summary:
    'Runs one experiment spec headless, with the runner the studio uses (tfjs in Node). A metadata ' +
    'spec reads data.movies (a CSV, relative to the spec file first, then to the working ' +
    'directory); a posters spec reads data.posters and data.labels. The result JSON goes to --out ' +
    'or stdout; progress and a summary go to stderr. Example specs: examples/specs/.',
  options: [
    ['--spec <file>', 'the experiment spec (JSON), required'],
    ['--out <file>', 'write the result JSON here (default: stdout)'],
    ['--backend cpu|wasm', 'tfjs backend (default cpu: repeatable bit for bit)'],
    ['--models <dir>', 'where posters specs find backbones (default ../shared/models)'],
    ['--quiet', 'no progress or summary on stderr'],
    [
      '--shard i/n',
      'run only grid points p with p mod n = i − 1 (1 ≤ i ≤ n) and write a partial result (metadata specs)',
    ],
    [
      '--merge <files…>',
      'combine the partial results of shards 1..n of one spec into the result one whole run gives',
    ],
    ['-h, --help', 'print this help and exit'],
  ],
  examples: [
    'npm run experiment -- --spec examples/specs/forest.json --out forest-result.json',
    'npm run experiment -- --spec grid.json --shard 2/4 --out part-2.json',
    'npm run experiment -- --merge part-1.json part-2.json part-3.json part-4.json --out result.json',
    'npm run experiment -- --spec my-posters-spec.json --backend wasm --quiet > result.json',
  ],
  exitCodes: [
    [0, 'the experiment ran; the result was written'],
    [
      1,
      'the spec or its data has problems (each printed on its own line), the run failed, or --merge refused its inputs (missing, overlapping or foreign shards)',
    ],
    [2, 'bad command line (unknown option, missing --spec, bad --backend or --shard)'],
  ],
};

export const PREDICT_USAGE: Usage = {
  command:
    'npm run predict -- --posters <dir or file> [--model <dir>] [--out <file.csv>] [options]',
  summary:
    'Predicts the genre groups of poster images (JPEG, PNG or WebP) with a saved poster model, with the code ' +
    "the Predict panel uses. Writes one CSV row per file: its name, each group's probability, the " +
    'predicted groups, and an error for a file that could not be read.',
  options: [
    ['--posters <path>', 'a poster file, or a folder whose files are all read (required)'],
    ['--model <dir>', 'the model folder (default public/models/marquee-poster-v1)'],
    ['--out <file>', 'the predictions CSV (default predictions.csv)'],
    ['--backbone <dir>', 'a tfjs backbone folder (default: the copy the site ships)'],
    ['--backbones <dir>', 'a folder holding mobilenetv2-0.35-imagenet/ (e.g. ../shared/models)'],
    ['-h, --help', 'print this help and exit'],
  ],
  examples: [
    'npm run predict -- --posters my-posters/ --out predictions.csv',
    'npm run predict -- --posters poster.jpg --model my-exported-model/',
  ],
  exitCodes: [
    [0, 'predictions written (files that could not be read are listed in the error column)'],
    [1, 'missing --posters, an unreadable model or backbone, or any other failure'],
  ],
};

export const TRAIN_DEFAULT_USAGE: Usage = {
  command: 'npm run train:default [-- --keep-head]',
  summary:
    'Trains the poster model the static site ships, from the Kaggle and CS109b posters and the ' +
    'backbones in ../shared: compares feature sets (MobileNetV2-0.35, with flip averaging, with ' +
    'MobileNet v1) by 5-fold cross-validation on a seeded random subset of the training posters, ' +
    'retrains the winner on all of them with its calibration and decision rule chosen the same ' +
    'way, and scores the held-out split once. Writes the head and card.json to ' +
    'public/models/marquee-poster-v1/. Features are cached in the OS temp folder; extracting ' +
    'them all takes about an hour on a quiet 2-core machine.',
  options: [
    [
      '--keep-head',
      'keep the shipped head; choose only its calibration and decision rule, on training rows it never saw',
    ],
    ['-h, --help', 'print this help and exit'],
  ],
  environment: [
    ['MARQUEE_SHARED', 'the shared data folder (default ../shared)'],
    ['MARQUEE_OUT', 'write the model here instead of public/models/marquee-poster-v1'],
    ['MARQUEE_FOLDS', 'cross-validation folds (default 5)'],
    ['MARQUEE_PARTIAL=1', 'train on the posters whose features are cached, compute none'],
    ['MARQUEE_FEATURE_SETS', "the feature sets to compare, ';'-separated (default all four)"],
    ['MARQUEE_COMPARE_ROWS', 'training posters the feature sets are compared on (default 1288)'],
    ['MARQUEE_COMPARISON', 'a file keeping the comparison, reused by a later run on the same rows'],
  ],
  examples: [
    'npm run train:default',
    'npm run train:default -- --keep-head',
    'MARQUEE_OUT=/tmp/model npm run train:default',
  ],
  exitCodes: [
    [0, 'the model and its card were written'],
    [1, 'data or backbones missing, or training failed'],
  ],
};

/** The help text: usage line, summary, options, environment, examples, exit codes. */
export function usageText(u: Usage): string {
  const table = (rows: [string | number, string][]): string => {
    const width = Math.max(...rows.map(([k]) => String(k).length));
    return rows.map(([k, v]) => `  ${String(k).padEnd(width)}  ${v}`).join('\n');
  };
  return [
    `Usage: ${u.command}`,
    '',
    u.summary,
    '',
    'Options:',
    table(u.options),
    ...(u.environment ? ['', 'Environment:', table(u.environment)] : []),
    '',
    'Examples:',
    ...u.examples.map((e) => `  ${e}`),
    '',
    'Exit codes:',
    table(u.exitCodes),
    '',
  ].join('\n');
}

/** With -h or --help among the arguments, prints the help to stdout and exits 0. */
export function helpIfAsked(args: readonly string[], u: Usage): void {
  if (!args.includes('--help') && !args.includes('-h')) return;
  process.stdout.write(usageText(u));
  process.exit(0);
}
