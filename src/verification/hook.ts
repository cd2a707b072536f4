import { durationMs } from '../core/duration.js';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Catalog } from '../config/catalog-schema.js';
import type { SucceededHook } from '../jobs/job-hooks.js';
import type { EvidenceStore } from './evidence-store.js';
import { type NextStepReader, nextCommand } from './next-step.js';
import { jobEvidence } from './job-evidence.js';
import { intervalFor, type VerifyJobData } from './verify-data.js';
import type { VerificationQueue } from './verify-queue.js';

export interface VerificationHookDeps {
  queue: VerificationQueue;
  catalog: Catalog;
  log: Logger;
  evidence?: EvidenceStore;
  /** MAESTRO_VERIFY_WINDOW: one window for every service (drills use 20s). */
  windowOverrideMs?: number;
  /** Where the next step after a regression looks for a revision with another image; without it none is offered. */
  kubernetes?: NextStepReader;
}

/**
 * The actions worker's onSucceeded: records the evidence of a verb that declares it
 * keeps one (rollback) and schedules the verification of every verb that declares it
 * `mitigates`. (A rollback that fails is recorded by FailedRollbacks, through the
 * worker's onFailed.) Verification is best effort: a failure
 * here is logged, never turned into a failed mitigation.
 */
export function verificationHook(deps: VerificationHookDeps): SucceededHook {
  return async (data, { verb, result }) => {
    if (!verb.mitigates) return;
    const service = data.plan.target.service;
    const svc = deps.catalog.services[service];
    if (!svc?.envs[data.env]) return;
    const who = { actor: data.actor, requestId: data.requestId, ...(data.conversation ? { conversation: data.conversation } : {}) };
    const draft = deps.evidence ? jobEvidence(verb, data, result) : undefined;
    const evidence = draft && deps.evidence ? await deps.evidence.record(draft, who) : undefined;
    const windowMs = deps.windowOverrideMs ?? durationMs(svc.verification.window);
    const next = await nextCommand(deps.catalog, data, deps.kubernetes).catch((error: unknown) => {
      deps.log.warn({ err: error, service }, 'could not work out the next step; the regression will offer none');
      return undefined;
    });
    const verification: VerifyJobData = {
      id: `v${createHash('sha256').update(`${data.requestId}:${data.jobNumber}`).digest('hex').slice(0, 24)}`,
      service,
      env: data.env,
      action: data.action,
      jobNumber: data.jobNumber,
      actor: data.actor,
      ...(data.conversation ? { conversation: data.conversation } : {}),
      requestId: data.requestId,
      ...(data.messageRef ? { messageRef: data.messageRef } : {}),
      startedAt: Date.now(),
      windowMs,
      intervalMs: intervalFor(windowMs),
      check: 1,
      ...(next ? { nextCommand: next } : {}),
      ...(evidence ? { evidenceId: evidence.id } : {}),
    };
    await deps.queue.schedule(verification);
    deps.log.info({ verification: verification.id, service, env: data.env, windowMs }, 'verification scheduled');
  };
}
