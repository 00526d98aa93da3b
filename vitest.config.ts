import './test/node-polyfills.ts';
import { defineConfig, mergeConfig } from 'vitest/config';
import { playwright } from '@vitest/browser-playwright';
import viteConfig from './vite.config.ts';
import { CHROMIUM_ARGS, chromiumPathForConfig } from './test/chromium.ts';

/**
 * Three projects, one runner:
 *  - unit:    pure logic in Node (`*.test.ts`)
 *  - browser: storage, workers and GPU backends in real Chromium (`*.browser.test.ts`)
 *  - e2e:     Playwright driving the built app served locally (`test/e2e/*.e2e.ts`)
 */
export default mergeConfig(
  viteConfig,
  defineConfig({
    test: {
      projects: [
        {
          extends: true,
          test: {
            name: 'unit',
            environment: 'node',
            include: [
              'src/**/*.test.ts',
              'test/**/*.test.ts',
              'scripts/**/*.test.ts',
              'bench/**/*.test.ts',
            ],
            exclude: ['**/*.browser.test.ts', '**/node_modules/**'],
            testTimeout: 60_000,
          },
        },
        {
          extends: true,
          test: {
            name: 'browser',
            include: ['src/**/*.browser.test.ts', 'test/browser/**/*.browser.test.ts'],
            testTimeout: 120_000,
            browser: {
              enabled: true,
              headless: true,
              screenshotFailures: false,
              instances: [{ browser: 'chromium' }],
              provider: playwright({
                launchOptions: { executablePath: chromiumPathForConfig(), args: CHROMIUM_ARGS },
              }),
            },
          },
        },
        {
          test: {
            name: 'e2e',
            environment: 'node',
            include: ['test/e2e/**/*.e2e.ts'],
            testTimeout: 300_000,
            hookTimeout: 120_000,
            fileParallelism: false,
          },
        },
      ],
    },
  }),
);
