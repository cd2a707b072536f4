import { type ChildProcess, spawn } from 'node:child_process';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { ActionRegistry } from '../../src/core/registry.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { type JobWorker, startWorker } from '../../src/jobs/worker.js';
import { bump } from '../fixtures/counter-action.js';
import { catalog, JobsHarness, silent, waitFor } from './harness.js';
import { freePort } from '../support/free-port.js';

/** A throwaway Redis of this test's own, with nothing persisted: a restart loses every key. */
class ScratchRedis {
  private process_: ChildProcess | undefined;
  constructor(readonly port: number) {}

  static async start(): Promise<ScratchRedis> {
    const server = new ScratchRedis(await freePort());
    await server.start();
    return server;
  }

  async start(): Promise<void> {
    this.process_ = spawn('redis-server', ['--port', String(this.port), '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
    const probe = new Redis({ port: this.port, lazyConnect: true, retryStrategy: () => 50, maxRetriesPerRequest: null });
    probe.on('error', () => {});
    try {
      await probe.connect().catch(() => {});
      await waitFor(async () => (await probe.ping().catch(() => '')) === 'PONG', 5000);
    } finally {
      probe.disconnect();
    }
  }

  async stop(): Promise<void> {
    const running = this.process_;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  }
}

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const step of cleanup.reverse()) await step();
  cleanup = [];
});

describe('Redis restarted mid-job', () => {
  it('still brings the job to an end with its result in chat', async () => {
    // The counter (the "world") lives in the shared test Redis; the queue in a scratch one.
    const h = new JobsHarness('redis-restart');
    cleanup.push(() => h.close());
    const scratch = await ScratchRedis.start();
    cleanup.push(() => scratch.stop());
    const connection = new Redis({ port: scratch.port, maxRetriesPerRequest: null, retryStrategy: () => 100 });
    connection.on('error', () => {});
    cleanup.push(async () => {
      connection.disconnect();
    });
    const queue = new JobQueue({ connection, prefix: h.prefix });
    const worker: JobWorker = await startWorker({
      connection,
      prefix: h.prefix,
      registry: new ActionRegistry([bump]),
      catalog,
      ports: h.ports,
      chat: () => h.chat,
      audit: h.audit,
      log: silent,
      progressIntervalMs: 100,
      lockDurationMs: 1000,
      stalledIntervalMs: 1000,
    });
    cleanup.push(async () => {
      await worker.close();
      await queue.close();
    });

    const data = await h.planned({ steps: 20, stepMs: 100, applyAt: 3 });
    await queue.submit(data, 'k1');
    await waitFor(async () => (await h.counter('effects')) === 1, 10_000);
    await scratch.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    await scratch.start();

    const ref = data.messageRef!.id;
    await waitFor(() => h.chat.replies(ref).length > 0, 15_000);
    expect(h.chat.replies(ref).map((r) => r.message.title)).toEqual(['svc is now 1']);
    expect(h.chat.current(ref)).toMatchObject({ severity: 'success', text: 'svc is now 1' });
    expect(await h.counter('effects')).toBe(1);
  });
});
