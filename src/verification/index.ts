import { z } from 'zod';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StatuspageLinkReader } from '../verbs/status/status.js';
import type { Catalog } from '../config/catalog-schema.js';
import type { AuditSink } from '../core/audit.js';
import type { MetricsPort } from '../core/health.js';
import type { ChatLookup } from '../jobs/job-reporter.js';
import type { FailedHook } from '../jobs/job-hooks.js';
import { EvidenceStore } from './evidence-store.js';
import { FailedRollbacks } from './failed-rollbacks.js';
import type { SucceededHook } from '../jobs/job-hooks.js';
import { verificationHook } from './hook.js';
import type { NextStepReader } from './next-step.js';
import type { IncidentResolver, PodLogReader, ServiceEndpoints } from './ports.js';
import { durationMs } from '../core/duration.js';
import { VerificationQueue } from './verify-queue.js';
import { startVerifyWorker, type VerifyWorker } from './verify-worker.js';

/** The verification API for main.ts: one call builds the queue, the worker and the actions worker's hook. */
export type { EvidenceReader, EvidenceRecord } from '../core/evidence-record.js';
export { evidenceLines } from '../core/evidence-record.js';
export { EvidenceStore } from './evidence-store.js';
export { FailedRollbacks } from './failed-rollbacks.js';
export { verificationHook } from './hook.js';
export { catalogEndpoints, type IncidentResolver, type PodLogReader, type ServiceEndpoints, sandboxEndpoints } from './ports.js';
export { VERIFY_QUEUE } from './verify-data.js';
export { VerificationQueue } from './verify-queue.js';
export { startVerifyWorker, type VerifyWorker, type VerifyWorkerDeps } from './verify-worker.js';

/** Environment variables verification reads (main.ts extends the env schema with them). */
export const VerificationEnvShape = {
  /** One verification window for every service, overriding the catalog's (drills: 20s). */
  MAESTRO_VERIFY_WINDOW: z.string().regex(/^\d+(ms|s|m|h)$/, "expected a duration such as '20s' or '10m'").optional(),
};

export interface VerificationDeps {
  connection: Redis;
  prefix: string;
  catalog: Catalog;
  audit: AuditSink;
  chat: ChatLookup;
  log: Logger;
  metrics?: MetricsPort;
  endpoints?: ServiceEndpoints;
  resolver?: IncidentResolver;
  statuspageLinks?: StatuspageLinkReader;
  /** MAESTRO_VERIFY_WINDOW, e.g. '20s'; overrides every service's catalog window. */
  window?: string;
  /** False on a web-only process: it schedules verifications but does not run them. */
  runWorker?: boolean;
  /** Read to offer, after a regression, a rollback to a revision with another image, and the pods' logs each check reads for stack traces. */
  kubernetes?: NextStepReader & PodLogReader;
}

export interface Verification {
  queue: VerificationQueue;
  evidence: EvidenceStore;
  /** Pass as startWorker's onSucceeded. */
  onSucceeded: SucceededHook;
  /** Pass as startWorker's onFailed: records failed rollbacks. */
  onFailed: FailedHook;
  /** Resolves when no verification is waiting or running and every failed rollback is recorded (the console's exit condition). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

export async function startVerification(deps: VerificationDeps): Promise<Verification> {
  const queue = new VerificationQueue({ connection: deps.connection, prefix: deps.prefix, log: deps.log });
  const evidence = new EvidenceStore(deps.connection, deps.prefix, deps.audit);
  const failed = new FailedRollbacks({ evidence, log: deps.log });
  let worker: VerifyWorker | undefined;
  if (deps.runWorker ?? true) {
    worker = await startVerifyWorker({
      connection: deps.connection,
      prefix: deps.prefix,
      catalog: deps.catalog,
      queue,
      chat: deps.chat,
      log: deps.log,
      evidence,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
      ...(deps.endpoints ? { endpoints: deps.endpoints } : {}),
      ...(deps.resolver ? { resolver: deps.resolver } : {}),
      ...(deps.statuspageLinks ? { statuspageLinks: deps.statuspageLinks } : {}),
      ...(deps.kubernetes ? { logs: deps.kubernetes } : {}),
    });
  }
  const onSucceeded = verificationHook({
    queue,
    catalog: deps.catalog,
    log: deps.log,
    evidence,
    ...(deps.window ? { windowOverrideMs: durationMs(deps.window) } : {}),
    ...(deps.kubernetes ? { kubernetes: deps.kubernetes } : {}),
  });
  return {
    queue,
    evidence,
    onSucceeded,
    onFailed: failed.onFailed,
    async settled() {
      await failed.settled();
      await queue.settled();
    },
    async close() {
      await worker?.close();
      await failed.settled();
      await queue.close();
    },
  };
}
