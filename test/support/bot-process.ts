import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * What every bot process in the tests starts from: a home without ~/.kube/config, no
 * KUBECONFIG, and the simulated cluster asked for explicitly — a bot with no cluster
 * refuses to start, so a test that wants the sandbox says so. A test of the newcomer's
 * console path passes `MAESTRO_SANDBOX: ''`.
 */
export function botBaseEnv(): Record<string, string> {
  return { PATH: process.env.PATH ?? '', HOME: mkdtempSync(join(tmpdir(), 'maestro-home-')), PORT: '0', MAESTRO_SANDBOX: '1' };
}

export interface BotRun {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `src/main.ts` as `npm start` would, feeding `input` on stdin, and waits for it to exit. */
export function runBot(input: string, env: Record<string, string>, timeoutMs = 60_000): Promise<BotRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...botBaseEnv(), ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`bot did not exit within ${timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - started });
    });
    child.stdin.end(input);
  });
}
