import { describe, expect, it } from 'vitest';
import { page } from 'vitest/browser';
import { flushSync, mount, unmount } from 'svelte';
import '../../../app.css';
import EpochCurves from './EpochCurves.svelte';
import type { EpochCurveSeries } from './epoch-curves.ts';

const curve = (label: string, n: number, start: number): EpochCurveSeries => ({
  label,
  epochs: Array.from({ length: n }, (_, i) => ({
    epoch: i + 1,
    loss: start * Math.exp(-0.25 * i),
    valLoss: start * Math.exp(-0.18 * i) + 0.05,
    valAccuracy: 0.6 + 0.02 * i,
  })),
});

describe('EpochCurves', () => {
  it('draws solid and dashed lines per fit, reads epochs out by keyboard and takes appended epochs', async () => {
    await page.viewport(900, 700);
    const host = document.createElement('div');
    host.style.width = '640px';
    host.style.padding = '12px';
    host.style.background = 'var(--panel)';
    document.body.append(host);
    const props = $state({ series: [curve('grid 1/2', 4, 0.7), curve('final', 6, 0.69)] });
    const app = mount(EpochCurves, { target: host, props });
    flushSync();
    const paths = (cls: string) =>
      [...host.querySelectorAll(`path.${cls}`)].map((p) => p.getAttribute('d') ?? '');
    expect(paths('loss')).toHaveLength(2);
    expect(paths('val-loss').every((d) => d.startsWith('M'))).toBe(true);
    expect(getComputedStyle(host.querySelector('path.val-loss')!).strokeDasharray).not.toBe('none');
    expect(getComputedStyle(host.querySelector('path.loss')!).strokeDasharray).toBe('none');
    expect(host.querySelector('svg[role="img"]')!.getAttribute('aria-label')).toContain('2 fits');

    const slider = host.querySelector<HTMLElement>('[role="slider"]')!;
    slider.focus();
    slider.dispatchEvent(new KeyboardEvent('keydown', { key: 'End', bubbles: true }));
    flushSync();
    expect(slider.getAttribute('aria-valuetext')).toMatch(/^epoch 6: final: loss 0\.198/); // 0.69·e^(−1.25)
    slider.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
    slider.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowLeft', bubbles: true }));
    flushSync();
    expect(host.querySelector('.tip')!.textContent).toContain('epoch 4 grid 1/2: loss 0.331'); // 0.7·e^(−0.75)
    await page.screenshot({
      path: '../../../../test/e2e/screenshots/epoch-curves.png',
      element: host,
    });

    props.series = [...props.series, curve('extra', 9, 0.8)];
    flushSync();
    expect(paths('loss')).toHaveLength(3);
    await new Promise((r) => setTimeout(r, 500)); // the axes ease for 350 ms
    const ticks = [...host.querySelectorAll('text.tick')].map((t) => t.textContent);
    expect(ticks).toContain('9'); // the epoch axis grew to the new fit's last epoch
    unmount(app);
    host.remove();
  });
});
