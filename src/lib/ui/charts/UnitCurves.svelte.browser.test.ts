import { describe, expect, it } from 'vitest';
import { flushSync, mount, unmount } from 'svelte';
import '../../../app.css';
import UnitCurves from './UnitCurves.svelte';
import { rocSeries } from './score-curves.ts';

const series = rocSeries(
  ['War & History', 'Comedy'],
  [
    { x: [0, 0, 0.5, 1], y: [0, 0.5, 1, 1] },
    { x: [0, 0.2, 1], y: [0, 0.6, 1] },
  ],
  { x: [0, 0.1, 0.4, 1], y: [0, 0.5, 0.9, 1] },
  [
    { tn: 3, fp: 1, fn: 1, tp: 3 },
    { tn: 4, fp: 1, fn: 2, tp: 3 },
  ],
);

describe('UnitCurves', () => {
  it('draws every curve (pooled one dashed), reads points by keyboard, and a focused group alone with its decision point', () => {
    const host = document.createElement('div');
    host.style.width = '360px';
    document.body.append(host);
    const props = $state({ focus: null as number | null });
    const app = mount(UnitCurves, {
      target: host,
      props: {
        kind: 'roc',
        series,
        figures: [0.875, 0.7, 0.8],
        get focus() {
          return props.focus;
        },
      },
    });
    flushSync();
    const paths = () => [...host.querySelectorAll('path')];
    expect(paths()).toHaveLength(3);
    expect(getComputedStyle(paths()[2]!).strokeDasharray).not.toBe('none');
    expect(host.querySelector('line.reference')).not.toBeNull();
    const slider = host.querySelector<HTMLElement>('[role="slider"]')!;
    expect(slider.getAttribute('aria-label')).toContain('War & History: AUC 0.875');

    slider.focus();
    slider.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home', bubbles: true }));
    slider.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
    flushSync();
    expect(slider.getAttribute('aria-valuetext')).toBe(
      'micro (all labels): false positive rate 0.100, true positive rate 0.500',
    );
    expect(host.querySelector('.tip')!.textContent).toContain('false positive rate 0.100');
    expect(host.querySelectorAll('circle.active')).toHaveLength(1);

    props.focus = 1;
    flushSync();
    expect(paths()).toHaveLength(1);
    expect(host.querySelectorAll('circle.operating')).toHaveLength(1);
    // Another series: the readout starts again on its points.
    expect(slider.getAttribute('aria-valuetext')).toBe('No point selected');
    slider.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    flushSync();
    expect(slider.getAttribute('aria-valuetext')).toBe(
      'Comedy: false positive rate 1.000, true positive rate 1.000',
    );
    unmount(app);
    host.remove();
  });
});
