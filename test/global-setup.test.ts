import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './support/free-port.js';
import { findRedis, missingPrograms } from './support/global-setup.js';

const path = process.env.PATH;
afterEach(() => {
  process.env.PATH = path;
});

describe('the test run’s global setup', () => {
  it('names the Debian package of every program that is missing, one line each', () => {
    process.env.PATH = mkdtempSync(join(tmpdir(), 'empty-path-'));
    expect(missingPrograms()?.split('\n')).toEqual([
      'the tests need programs that are not installed:',
      '  redis-server: apt-get install -y redis-server',
      '  kubectl: apt-get install -y kubernetes-client',
      '  promtool: apt-get install -y prometheus',
      '  amtool: apt-get install -y prometheus-alertmanager',
      '  curl: apt-get install -y curl',
      '  openssl: apt-get install -y openssl',
    ]);
  });

  it('finds nothing missing on this machine', () => {
    expect(missingPrograms()).toBeUndefined();
  });

  it('starts redis-server on a free port when nothing answers at the default address, and that one answers', async () => {
    const found = await findRedis(undefined, `redis://127.0.0.1:${await freePort()}`);
    try {
      expect(found.started).toBeDefined();
      const client = new Redis(found.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await client.connect();
      expect(await client.ping()).toBe('PONG');
      await client.quit();
    } finally {
      found.started?.kill('SIGTERM');
    }
  });

  it('refuses a REDIS_URL that does not answer instead of starting another one', async () => {
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(findRedis(url, 'redis://127.0.0.1:6379')).rejects.toThrow(`REDIS_URL=${url} does not answer`);
  });
});
