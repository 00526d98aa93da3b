import type { Bench } from '../types.ts';

/** The Settings panel's own backend measurement (matmul GFLOPS per backend) in the built app. */
export const backends: Bench = {
  name: 'backends',
  description: 'Compute backend probe from Settings: matmul GFLOPS on webgpu, webgl, wasm, cpu',
  async run(ctx) {
    const page = await ctx.newPage();
    await page.goto(`${ctx.appUrl}/#/settings`);
    await page.getByRole('button', { name: /Measure/ }).click();
    await page.getByTestId('backend-choice').waitFor({ timeout: 120_000 });
    const choice = await page.evaluate(() =>
      JSON.parse(localStorage.getItem('marquee:compute:last') ?? 'null'),
    );
    for (const p of choice?.probes ?? []) {
      if (p.gflops !== undefined)
        ctx.record({
          name: `matmul GFLOPS, ${p.name}`,
          value: p.gflops,
          unit: 'GFLOPS',
          note: p.detail,
          ...(p.name === 'wasm' ? { ref: 'matmul_1024_gflops' } : {}),
        });
    }
    ctx.record({
      name: `chosen backend: ${choice?.name}`,
      value: 1,
      unit: '',
      note: choice?.reason,
    });
    await page.context().close();
  },
};
