import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { loadCatalog } from '../config/catalog.js';
import { startSandbox } from './index.js';

/** `npm run sandbox`: the simulated cluster alone, until Ctrl-C. */
async function main(): Promise<void> {
  const catalogFile = resolve(process.env.MAESTRO_CATALOG ?? 'config/catalog.yaml');
  const port = Number(process.env.SANDBOX_PORT ?? 0);
  const kubeconfig = resolve(process.env.SANDBOX_KUBECONFIG ?? join(tmpdir(), 'maestro-sandbox.kubeconfig'));
  const log = pino({ level: process.env.LOG_LEVEL ?? 'warn' });
  const sandbox = await startSandbox({ catalog: loadCatalog(catalogFile), port, log });
  await sandbox.writeKubeconfig(kubeconfig);
  console.log(`maestro sandbox cluster at ${sandbox.url}`);
  console.log(`kubeconfig: ${kubeconfig}`);
  console.log(`try: kubectl --kubeconfig ${kubeconfig} get deploy -A`);
  console.log('Ctrl-C to stop.');
  // Closing the server and the controller timer lets the process end on its own.
  const stop = () => void sandbox.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
