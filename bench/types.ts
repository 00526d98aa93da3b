import type { Browser, Page } from 'playwright-core';

/** One measured figure. `higherIsBetter` drives the ratio column against the native reference. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
  pass?: boolean;
  note?: string;
  /** Key of the native reference figure (../shared/bench/native_reference.py output) to report a ratio against. */
  ref?: string;
  /** The figure and its reference are durations (lower is better): the speed ratio is ref / value. */
  refIsTime?: boolean;
}

/** What every benchmark receives: a running browser, the built app's URL, ../shared, and a figure sink. */
export interface BenchContext {
  browser: Browser;
  appUrl: string;
  shared: string;
  /** Pid of the benchmark's Chromium browser process (for memory sampling). */
  browserPid(): number;
  newPage(): Promise<Page>;
  record(f: Figure): void;
  log(msg: string): void;
}

export interface Bench {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<void>;
}
