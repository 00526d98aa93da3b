/** Live poster curves: epochs streamed by the worker grouped into one series per fit, and a text summary. Pure. */
import type { PosterEpoch } from '../../workers/poster-types.ts';

export interface EpochSeries {
  label: string;
  epochs: { epoch: number; loss: number; valLoss: number; valAccuracy: number }[];
}

/** One series per fit ('grid 1/32', …, 'final'), in the order fits started. */
export function epochSeries(epochs: readonly PosterEpoch[]): EpochSeries[] {
  const byRun = new Map<string, EpochSeries>();
  for (const e of epochs) {
    let s = byRun.get(e.run);
    if (!s) byRun.set(e.run, (s = { label: e.run, epochs: [] }));
    s.epochs.push({ epoch: e.epoch, loss: e.loss, valLoss: e.valLoss, valAccuracy: e.valAccuracy });
  }
  return [...byRun.values()];
}

const num = (v: number, digits: number) => (Number.isFinite(v) ? v.toFixed(digits) : 'n/a');

/** "final, epoch 2: loss 0.612, validation loss 0.598, validation accuracy 71.4 %" (last epoch received). */
export function lastEpochText(epochs: readonly PosterEpoch[]): string {
  const e = epochs.at(-1);
  if (!e) return 'Waiting for the first epoch…';
  const acc = Number.isFinite(e.valAccuracy) ? `${(100 * e.valAccuracy).toFixed(1)} %` : 'n/a';
  return `${e.run}, epoch ${e.epoch}: loss ${num(e.loss, 3)}, validation loss ${num(e.valLoss, 3)}, validation accuracy ${acc}`;
}
