import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Debian's real `prometheus` (2.42) for tests: its own loopback port and temp data
 * dir, stopped (and the dir removed) by stop(). CI installs the package (.ci/run).
 */

export const hasPrometheus = spawnSync('prometheus', ['--version']).status === 0 && spawnSync('promtool', ['--version']).status === 0;

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export interface RealPrometheus {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** Turns OpenMetrics text into TSDB blocks in a fresh dir, for startPrometheus({ dir }). */
export function backfill(openMetrics: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-prom-'));
  const file = join(dir, 'history.om');
  writeFileSync(file, openMetrics);
  execFileSync('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', file, join(dir, 'data')], { stdio: 'pipe' });
  rmSync(file);
  return dir;
}

export async function startPrometheus(options: { config?: string; dir?: string; port?: number; args?: string[] } = {}): Promise<RealPrometheus> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'maestro-prom-'));
  const port = options.port ?? (await freePort());
  const configFile = join(dir, 'prometheus.yml');
  writeFileSync(configFile, options.config ?? 'global: {}\n');
  const child: ChildProcess = spawn(
    'prometheus',
    [`--config.file=${configFile}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', ...(options.args ?? [])],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr = (stderr + String(chunk)).slice(-4000);
  });
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) break;
    try {
      if ((await fetch(`${url}/-/ready`)).ok) return { url, dir, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`prometheus did not become ready: ${stderr}`);
}
