import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { freePort } from './free-port.js';
import { makeTestTls, TLS_DIR_ENV } from './test-tls.js';

/**
 * Finds what the tests need before any test runs. A program that is missing fails the
 * run in its first second, with one line per program naming the Debian package to
 * install, instead of hundreds of failing tests; a Redis that is installed but not
 * running is started on a free port for this run and stopped afterwards.
 */
const PROGRAMS: Record<string, string> = {
  'redis-server': 'redis-server',
  kubectl: 'kubernetes-client',
  promtool: 'prometheus',
  amtool: 'prometheus-alertmanager',
  curl: 'curl',
  openssl: 'openssl',
};

let redis: ChildProcess | undefined;

function installed(program: string): boolean {
  return spawnSync('/bin/sh', ['-c', `command -v ${program}`], { stdio: 'ignore' }).status === 0;
}

/** One line per missing program with its Debian package, or undefined when all are there. */
export function missingPrograms(): string | undefined {
  const missing = Object.entries(PROGRAMS).filter(([program]) => !installed(program));
  if (missing.length === 0) return undefined;
  return `the tests need programs that are not installed:\n${missing.map(([program, pkg]) => `  ${program}: apt-get install -y ${pkg}`).join('\n')}`;
}

/** True when something at host:port answers a RESP PING with PONG. */
function answersPing(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk) => done(chunk.toString().startsWith('+PONG')));
    socket.connect(port, host, () => socket.write('*1\r\n$4\r\nPING\r\n'));
  });
}

/**
 * The Redis the tests use: REDIS_URL when set (it must answer), else the default
 * address when something answers there, else a redis-server started on a free port.
 */
export async function findRedis(configured: string | undefined, fallback: string): Promise<{ url: string; started?: ChildProcess }> {
  const url = new URL(configured ?? fallback);
  if (await answersPing(url.hostname, Number(url.port || 6379))) return { url: url.href };
  if (configured) throw new Error(`REDIS_URL=${configured} does not answer; start that Redis or unset REDIS_URL`);
  const port = await freePort();
  const started = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 50 && !(await answersPing('127.0.0.1', port)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await answersPing('127.0.0.1', port))) {
    started.kill('SIGKILL');
    throw new Error(`redis-server did not answer on 127.0.0.1:${port}`);
  }
  return { url: `redis://127.0.0.1:${port}`, started };
}

export async function setup(): Promise<void> {
  const missing = missingPrograms();
  if (missing) throw new Error(missing);
  const found = await findRedis(process.env.REDIS_URL, 'redis://127.0.0.1:6379');
  redis = found.started;
  // The test workers start after this and inherit it (test/support/redis.ts reads it).
  process.env.REDIS_URL = found.url;
  // Node reads NODE_EXTRA_CA_CERTS only when a process starts: set here, the workers forked next trust the test CA.
  const tls = makeTestTls();
  process.env[TLS_DIR_ENV] = tls.dir;
  process.env.NODE_EXTRA_CA_CERTS = tls.caFile;
}

export async function teardown(): Promise<void> {
  redis?.kill('SIGTERM');
  const tlsDir = process.env[TLS_DIR_ENV];
  if (tlsDir) rmSync(tlsDir, { recursive: true, force: true });
}
