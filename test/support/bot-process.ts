import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
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
export function runBot(input: string, env: Record<string, string>, timeoutMs = 60_000, args: string[] = []): Promise<BotRun> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], {
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

export interface StartedBot {
  process: ChildProcess;
  /** The bot's listener, from its 'maestro-bot started' log line. */
  url: string;
  /** The 'maestro-bot started' line's fields. */
  started: Record<string, unknown>;
  /** Everything the bot has logged so far. */
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** `npm start` with `env` on top of botBaseEnv(), stdin closed; resolves once the bot logs that it started. */
/**
 * Starts `src/main.ts` and resolves once it says it started. A bot that has not started
 * within `startTimeoutMs` is killed and the promise rejects with what it wrote: the
 * default is under the tests' 30 s hook timeout, so a slow start never leaves an
 * orphaned bot spinning for the rest of the run.
 */
export function startBot(env: Record<string, string>, args: string[] = [], startTimeoutMs = 28_000): Promise<StartedBot> {
  const bot = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', ...args], { env: { ...botBaseEnv(), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => {
      bot.kill('SIGKILL');
      reject(new Error(`bot did not start within ${startTimeoutMs} ms:\n${stderr}`));
    }, startTimeoutMs);
    bot.once('exit', () => clearTimeout(deadline));
    bot.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const line = stderr.split('\n').find((l) => l.includes('"maestro-bot started"'));
      if (!line) return;
      clearTimeout(deadline);
      const started = JSON.parse(line) as Record<string, unknown>;
      resolve({
        process: bot,
        url: String(started.url),
        started,
        stderr: () => stderr,
        stop: async () => {
          if (bot.exitCode !== null) return bot.exitCode;
          bot.kill('SIGTERM');
          const [code] = (await once(bot, 'exit')) as [number | null];
          return code;
        },
      });
    });
    bot.once('exit', (code) => reject(new Error(`bot exited with ${code} before starting:\n${stderr}`)));
  });
}
