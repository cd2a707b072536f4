import { fileURLToPath } from 'node:url';
import { installResolver } from './resolve-hosts-core.mjs';

const table = new Map<string, string>();
let restore: (() => void) | undefined;

/** In this test process, `hosts` resolve to `address` until the returned function is called. */
export function resolveHostsTo(hosts: readonly string[], address: string): () => void {
  for (const host of hosts) table.set(host, address);
  restore ??= installResolver((host) => table.get(host));
  return () => {
    for (const host of hosts) if (table.get(host) === address) table.delete(host);
    if (table.size === 0) {
      restore?.();
      restore = undefined;
    }
  };
}

const preload = fileURLToPath(new URL('./resolve-hosts.mjs', import.meta.url));

/** The env that makes a bot process resolve `hosts` to `address` and trust the test CA. */
export function resolvingEnv(hosts: readonly string[], address: string, caFile: string): Record<string, string> {
  return {
    NODE_OPTIONS: `--import ${preload}`,
    MAESTRO_TEST_RESOLVE: hosts.map((host) => `${host}=${address}`).join(','),
    NODE_EXTRA_CA_CERTS: caFile,
  };
}
