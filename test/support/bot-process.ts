import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A kubeconfig path that is certain not to exist, so the bot falls back to its sandbox cluster. */
export const NO_KUBECONFIG = join(tmpdir(), `maestro-no-kubeconfig-${randomUUID()}`);

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
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', PORT: '0', KUBECONFIG: NO_KUBECONFIG, ...env },
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
