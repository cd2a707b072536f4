import { waitFor } from '../support/wait-for.js';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type KubernetesPorts, kubernetesVerbs } from '../support/kubernetes-verbs.js';
import { rollback } from '../../src/verbs/rollback/rollback.js';
import { kubernetesFromConfig } from '../../src/clients/kubernetes/client.js';
import { loadCatalog } from '../../src/config/catalog.js';
import type { ActionContext } from '../../src/core/action.js';
import { UserError } from '../../src/core/errors.js';
import { ActionRegistry } from '../../src/core/registry.js';
import type { ActionJobData } from '../../src/jobs/job-data.js';
import { isFinished } from '../../src/jobs/job-summary.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { type JobWorker, startWorker } from '../../src/jobs/worker.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { RecordingChat } from '../fixtures/recording-chat.js';
import { cleanPrefix, REDIS_URL, testPrefix, testRedis } from '../support/redis.js';

/**
 * The rollback as a durable job, end to end: real BullMQ on real Redis, the real
 * Kubernetes actions and client-node against the sandbox API server.
 */

const catalog = loadCatalog('config/catalog.yaml');
const log = pino({ level: 'silent' });
const ada = { id: 'U1', name: 'ada', platform: 'slack' as const };
const target = { namespace: 'intelgraph-prod', name: 'maestro-orchestrator' };

let sandbox: Sandbox;
let prefix: string;
let redis: ReturnType<typeof testRedis>;
let queue: JobQueue;
let ports: KubernetesPorts;
let chat: RecordingChat;
const workers: JobWorker[] = [];
let child: ChildProcess | undefined;

beforeEach(async () => {
  // Slow enough that a rollout spans several polls: the crash test kills the worker mid-way.
  sandbox = await startSandbox({ catalog, rolloutIntervalMs: 300 });
  prefix = testPrefix('rollback-job').replaceAll(':', '-');
  redis = testRedis();
  queue = new JobQueue({ connection: redis, prefix });
  ports = { kubernetes: kubernetesFromConfig(sandbox.kubeConfig()), followPollMs: 50 };
  chat = new RecordingChat('slack');
});

afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGKILL');
  child = undefined;
  await Promise.all(workers.splice(0).map((w) => w.close()));
  await queue.close();
  await cleanPrefix(redis, prefix);
  await redis.quit();
  await sandbox.close();
});

function context(): ActionContext<KubernetesPorts> {
  return { requestId: 'r1', actor: ada, env: 'prod', catalog, log, signal: new AbortController().signal, ports };
}

async function plannedRollback(): Promise<ActionJobData> {
  const args = { service: 'maestro-orchestrator' };
  const plan = await rollback.plan!(context(), args);
  const messageRef = await chat.post('C1', { title: plan.summary });
  return { action: 'rollback', args, plan, env: 'prod', actor: ada, requestId: 'r1', messageRef };
}

async function runWorker(options: { lockDurationMs?: number; stalledIntervalMs?: number } = {}): Promise<void> {
  workers.push(
    await startWorker({
      connection: redis,
      prefix,
      registry: new ActionRegistry([...kubernetesVerbs]),
      catalog,
      ports,
      chat: () => chat,
      audit: { record: async () => {} },
      log,
      progressIntervalMs: 100,
      ...options,
    }),
  );
}

async function until(condition: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  await waitFor(condition, { timeoutMs, everyMs: 50 });
}

async function finished(jobNumber: number) {
  await until(async () => isFinished((await queue.get(jobNumber))?.state ?? 'waiting'));
  return (await queue.get(jobNumber))!;
}

async function revisions(): Promise<number[]> {
  const list = await ports.kubernetes.listRevisions({ namespace: target.namespace, deployment: target.name });
  return list.map((r) => r.revision).sort((a, b) => a - b);
}

async function deployment() {
  return ports.kubernetes.readDeployment({ namespace: target.namespace, deployment: target.name });
}

/** A rollback job whose worker process is killed once the new template is applied but before the rollout completes. */
async function rollbackKilledMidRollout() {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-kube-'));
  const kubeconfig = join(dir, 'config');
  await sandbox.writeKubeconfig(kubeconfig);
  const data = await plannedRollback();
  const job = await queue.submit(data, 'confirm-1');
  child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/rollback-worker-process.ts'], {
    env: { ...process.env, JOBS_PREFIX: prefix, REDIS_URL, KUBECONFIG_FILE: kubeconfig },
    detached: true,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await until(async () => (await revisions()).includes(8));
  process.kill(-child.pid!, 'SIGKILL');
  const atKill = await deployment();
  await new Promise((resolve) => child!.once('exit', resolve));
  return { data, job, atKill };
}

describe('a rollback job against the sandbox cluster', () => {
  it('runs once when the same confirmation is delivered twice', async () => {
    await runWorker();
    const data = await plannedRollback();
    const first = await queue.submit(data, 'confirm-1');
    const second = await queue.submit(data, 'confirm-1');
    expect(second).toEqual({ ...first, created: false });
    expect((await finished(first.jobNumber)).state).toBe('succeeded');
    expect(await revisions()).toEqual([5, 7, 8]);
    expect((await deployment()).containers[0]!.image).toBe('ghcr.io/intelgraph/maestro-orchestrator:v2.7.3');
  });

  it('refuses a second rollback of the same deployment while one runs, naming the job and who runs it', async () => {
    await runWorker();
    const first = await queue.submit(await plannedRollback(), 'confirm-1');
    const error = await queue.submit(await plannedRollback(), 'confirm-2').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UserError);
    expect((error as Error).message).toBe(`busy: job ${first.jobNumber} (rollback by ada) is running`);
    await finished(first.jobNumber);
  });

  it('reports the result in the thread of the plan message', async () => {
    await runWorker();
    const data = await plannedRollback();
    const job = await queue.submit(data, 'confirm-1');
    await finished(job.jobNumber);
    const titles = chat.replies(data.messageRef!.id).map((r) => r.message.title);
    expect(titles).toEqual(['Rolled back maestro-orchestrator in prod']);
  });

  it('fails the job, with the reason and the next step in its thread, when the rollout does not complete', async () => {
    sandbox.markImageBad('ghcr.io/intelgraph/maestro-orchestrator:v2.7.3');
    await runWorker();
    const data = await plannedRollback();
    const job = await queue.submit(data, 'confirm-1');
    const summary = await finished(job.jobNumber);
    expect(summary.state).toBe('failed');
    const ref = data.messageRef!.id;
    expect(chat.current(ref)).toMatchObject({ severity: 'critical' });
    const reply = chat.replies(ref).at(-1)!.message;
    expect(reply.severity).toBe('critical');
    expect(JSON.stringify(reply)).toContain('rollback maestro-orchestrator --to-revision 5');
    // The deployment is free again for that next step.
    await expect(queue.submit(await plannedRollback(), 'confirm-2')).resolves.toMatchObject({ created: true });
  });

  it('finishes exactly once when its worker process is killed mid-rollout', async () => {
    const { job, atKill } = await rollbackKilledMidRollout();
    expect(atKill.updated < atKill.desired || atKill.replicas > atKill.desired).toBe(true);
    expect((await queue.get(job.jobNumber))?.state).toBe('running');

    await runWorker({ lockDurationMs: 1000, stalledIntervalMs: 1000 });
    const summary = await finished(job.jobNumber);

    expect(summary.state).toBe('succeeded');
    expect(await revisions()).toEqual([5, 7, 8]);
    const d = await deployment();
    expect(d.revision).toBe(8);
    expect(d.containers[0]!.image).toBe('ghcr.io/intelgraph/maestro-orchestrator:v2.7.3');
    expect(d.ready).toBe(d.desired);
  });

  it('says what the job did across its attempts when another worker resumes it after the change was made', { timeout: 60_000 }, async () => {
    const { data, job } = await rollbackKilledMidRollout();
    await runWorker({ lockDurationMs: 1000, stalledIntervalMs: 1000 });
    await finished(job.jobNumber);
    const result = chat.replies(data.messageRef!.id).find((r) => r.message.title === 'Rolled back maestro-orchestrator in prod');
    expect(result?.message.text).toMatch(/^Revision 7 → 8 \(the template of revision 6\): .* Applied by an earlier attempt of this job/);
    expect(result?.message.text).not.toContain('nothing changed');
  });
});
