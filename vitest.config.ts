import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Redis, kubectl, promtool, amtool, curl, openssl: found (or Redis started) before any test runs.
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Suites share one Redis (each under its own key prefix) and spawn child
    // processes; two cores do not gain from more parallel files than this.
    maxWorkers: 2,
    // Real Redis, real child processes and real HTTP on a shared 2-core machine: one
    // retry absorbs a scheduling hiccup. A test that fails twice is a failure, and
    // vitest's report names every retried test so flakes stay visible.
    retry: 1,
  },
});
