import pino from 'pino';
import { kubernetesVerbs } from '../support/kubernetes-verbs.js';
import { kubernetesFromConfig } from '../../src/clients/kubernetes/client.js';
import { PrometheusClient } from '../../src/clients/prometheus.js';
import { loadCatalog } from '../../src/config/catalog.js';
import type { AnyAction } from '../../src/core/action.js';
import { ActionRegistry } from '../../src/core/registry.js';
import type { ActionJobData } from '../../src/jobs/job-data.js';
import { isFinished } from '../../src/jobs/job-summary.js';
import { JobQueue } from '../../src/jobs/queue.js';
import { type JobWorker, startWorker } from '../../src/jobs/worker.js';
import { type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { type IncidentResolver, sandboxEndpoints, startVerification, type Verification } from '../../src/verification/index.js';
import { MemoryAudit, waitFor } from '../jobs/harness.js';
import { RecordingChat } from '../fixtures/recording-chat.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';

export const catalog = loadCatalog('config/catalog.yaml');
export const silent = pino({ level: 'silent' });
export const ada = { id: 'U1', name: 'ada', platform: 'console' as const };
export const bob = { id: 'U2', name: 'bob', platform: 'console' as const };

/** Records what verification asked of PagerDuty. */
export class FakeResolver implements IncidentResolver {
  readonly resolved: { service: string; env: string; note: string }[] = [];
  readonly repaged: { service: string; env: string; summary: string }[] = [];
  async resolve(service: string, env: string, note: string): Promise<void> {
    this.resolved.push({ service, env, note });
  }
  async repage(service: string, env: string, summary: string): Promise<void> {
    this.repaged.push({ service, env, summary });
  }
}

/**
 * One test's world: the sandbox (cluster, metrics, health endpoints), real BullMQ
 * on its own Redis prefix, the Kubernetes actions, and verification with a short window.
 */
export class VerifyHarness {
  readonly redis = testRedis();
  readonly prefix: string;
  readonly chat = new RecordingChat('console');
  readonly audit = new MemoryAudit();
  readonly resolver = new FakeResolver();
  sandbox!: Sandbox;
  queue!: JobQueue;
  verification!: Verification;
  private worker?: JobWorker;
  private readonly others: JobWorker[] = [];
  private nextRequest = 1;
  private verbs: readonly AnyAction[] = kubernetesVerbs;

  constructor(name: string) {
    this.prefix = testPrefix(`verify-${name}`);
  }

  /**
   * `tickMs`: the sandbox's unit of time; slower ticks leave a rollout running long enough to act on it.
   * `verbs`: what the worker runs instead of the Kubernetes verbs (a stand-in wrapping one of them).
   */
  async start(window = '1s', options: { tickMs?: number; verbs?: readonly AnyAction[] } = {}): Promise<this> {
    if (options.verbs) this.verbs = options.verbs;
    this.sandbox = await startSandbox({ catalog, rolloutIntervalMs: options.tickMs ?? 30, log: silent });
    this.queue = new JobQueue({ connection: this.redis, prefix: this.prefix, attempts: 1 });
    const metrics = new PrometheusClient({ baseUrl: this.sandbox.prometheusUrl });
    this.verification = await startVerification({
      connection: this.redis,
      prefix: this.prefix,
      catalog,
      audit: this.audit,
      chat: () => this.chat,
      log: silent,
      metrics,
      endpoints: sandboxEndpoints(this.sandbox),
      resolver: this.resolver,
      window,
      kubernetes: kubernetesFromConfig(this.sandbox.kubeConfig()),
    });
    const registry = new ActionRegistry([...this.verbs]);
    this.worker = await startWorker({
      connection: this.redis,
      prefix: this.prefix,
      registry,
      catalog,
      ports: { kubernetes: kubernetesFromConfig(this.sandbox.kubeConfig()), followPollMs: 30, metrics, evidence: this.verification.evidence },
      chat: () => this.chat,
      audit: this.audit,
      log: silent,
      progressIntervalMs: 50,
      onSucceeded: this.verification.onSucceeded,
      onFailed: this.verification.onFailed,
    });
    return this;
  }

  /** Another actions worker (as in another process), whose hooks are `verification`'s. */
  async addWorker(verification: Verification): Promise<void> {
    const metrics = new PrometheusClient({ baseUrl: this.sandbox.prometheusUrl });
    this.others.push(
      await startWorker({
        connection: this.redis,
        prefix: this.prefix,
        registry: new ActionRegistry([...kubernetesVerbs]),
        catalog,
        ports: { kubernetes: kubernetesFromConfig(this.sandbox.kubeConfig()), followPollMs: 30, metrics, evidence: verification.evidence },
        chat: () => this.chat,
        audit: this.audit,
        log: silent,
        progressIntervalMs: 50,
        onSucceeded: verification.onSucceeded,
        onFailed: verification.onFailed,
      }),
    );
  }

  /** Plans `verb` as the command handler would, posts its plan message, queues it and waits until it has finished. */
  async run(verb: string, args: Record<string, unknown>, options: { env?: string; reason?: string } = {}): Promise<number> {
    const jobNumber = await this.submit(verb, args, options);
    await waitFor(async () => {
      const job = await this.queue.get(jobNumber);
      return job !== undefined && isFinished(job.state);
    }, 20_000);
    return jobNumber;
  }

  /** As run, without waiting for the job. */
  async submit(verb: string, args: Record<string, unknown>, options: { env?: string; reason?: string } = {}): Promise<number> {
    const registry = new ActionRegistry([...this.verbs]);
    const action = registry.get(verb)!;
    const parsed = action.args.parse(args);
    const requestId = `r${this.nextRequest++}`;
    const env = options.env ?? 'prod';
    const ctx = {
      requestId,
      actor: ada,
      env,
      catalog,
      log: silent,
      signal: new AbortController().signal,
      ports: { kubernetes: kubernetesFromConfig(this.sandbox.kubeConfig()) },
    };
    const plan = await action.plan!(ctx, parsed);
    const messageRef = await this.chat.post('C1', { title: plan.summary });
    const data: ActionJobData = {
      action: verb,
      args: parsed,
      plan,
      env,
      ...(options.reason ? { reason: options.reason } : {}),
      actor: ada,
      conversation: { platform: 'console', id: 'C1' },
      requestId,
      messageRef,
    };
    const { jobNumber } = await this.queue.submit(data, requestId);
    return jobNumber;
  }

  /** Every reply in chat, as titles, oldest first. */
  replyTitles(): string[] {
    return this.chat.calls.filter((c) => c.kind === 'reply').map((c) => c.message.title);
  }

  async close(): Promise<void> {
    await this.worker?.close();
    for (const worker of this.others) await worker.close();
    await this.verification?.close();
    await this.queue?.close();
    await this.sandbox?.close();
    await cleanPrefix(this.redis, this.prefix);
    await this.redis.quit();
  }
}

export { waitFor };
