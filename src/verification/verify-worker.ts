import { durationMs, formatDuration } from '../core/duration.js';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { StatuspageLinkReader } from '../verbs/status/status.js';
import type { Catalog } from '../config/catalog-schema.js';
import type { MessageRef } from '../core/chat-port.js';
import type { MetricsPort } from '../core/health.js';
import type { Message } from '../core/message.js';
import type { ChatLookup } from '../jobs/job-reporter.js';
import { type CheckResult, checkOnce } from './check.js';
import type { EvidenceRecord } from '../core/evidence-record.js';
import type { EvidenceStore } from './evidence-store.js';
import * as say from './messages.js';
import { catalogEndpoints, type IncidentResolver, type PodLogReader, type ServiceEndpoints } from './ports.js';
import { checksIn, VERIFY_QUEUE, type VerifyJobData } from './verify-data.js';
import type { VerificationQueue } from './verify-queue.js';

export interface VerifyWorkerDeps {
  /** Needs `maxRetriesPerRequest: null`, as the actions worker's. */
  connection: Redis;
  prefix: string;
  catalog: Catalog;
  queue: VerificationQueue;
  chat: ChatLookup;
  log: Logger;
  metrics?: MetricsPort;
  endpoints?: ServiceEndpoints;
  resolver?: IncidentResolver;
  evidence?: EvidenceStore;
  statuspageLinks?: StatuspageLinkReader;
  /** The pods' logs, read each check for repeating stack traces. */
  logs?: PodLogReader;
  healthTimeoutMs?: number;
  concurrency?: number;
}

export interface VerifyWorker {
  readonly worker: Worker<VerifyJobData>;
  close(): Promise<void>;
}

/** Runs verification checks: a critical reading ends it as a regression; a clean window ends it as a pass. */
export async function startVerifyWorker(deps: VerifyWorkerDeps): Promise<VerifyWorker> {
  const log = deps.log.child({ component: 'verify' });
  const worker = new Worker<VerifyJobData>(VERIFY_QUEUE, (job) => runCheck(deps, job.data, log), {
    connection: deps.connection,
    prefix: deps.prefix,
    concurrency: deps.concurrency ?? 4,
  });
  worker.on('error', (error) => log.error({ err: error }, 'verify worker error'));
  await worker.waitUntilReady();
  return { worker, close: () => worker.close() };
}

class Thread {
  constructor(
    private readonly deps: VerifyWorkerDeps,
    private readonly data: VerifyJobData,
    private readonly log: Logger,
  ) {}

  private get chat() {
    const platform = this.data.messageRef?.platform ?? this.data.conversation?.platform;
    return platform ? this.deps.chat(platform) : undefined;
  }

  /** The verification's own reply under the job's message, posted on the first check. */
  async status(message: Message): Promise<MessageRef | undefined> {
    const chat = this.chat;
    const parent = this.data.messageRef;
    if (!chat || !parent) {
      this.log.info({ title: message.title }, 'verification status with nowhere to go');
      return undefined;
    }
    try {
      if (this.data.statusRef) {
        await chat.update(this.data.statusRef, message);
        return this.data.statusRef;
      }
      return await chat.reply(parent, message);
    } catch (error) {
      this.log.warn({ err: error }, 'verification status update failed');
      return this.data.statusRef;
    }
  }

  async reply(message: Message): Promise<void> {
    const chat = this.chat;
    if (!chat || !this.data.messageRef) {
      this.log.info({ title: message.title }, 'verification result with nowhere to go');
      return;
    }
    await chat.reply(this.data.messageRef, message).catch((error: unknown) => this.log.warn({ err: error }, 'verification reply failed'));
  }
}

async function runCheck(deps: VerifyWorkerDeps, data: VerifyJobData, parentLog: Logger): Promise<string> {
  const log = parentLog.child({ verification: data.id, service: data.service, env: data.env, check: data.check });
  const svc = deps.catalog.services[data.service];
  const envSpec = svc?.envs[data.env];
  if (!svc || !envSpec) {
    log.warn('verification for a service or env the catalog no longer has; dropped');
    return 'dropped';
  }
  const thread = new Thread(deps, data, log);
  const statusRef = data.statusRef ?? (await thread.status(say.startedMessage(data)));
  const healthUrl = (deps.endpoints ?? catalogEndpoints).health(data.service, data.env, envSpec);
  const result = await checkOnce(data.service, svc, envSpec, {
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(healthUrl ? { healthUrl } : {}),
    ...(deps.healthTimeoutMs ? { timeoutMs: deps.healthTimeoutMs } : {}),
    ...(deps.logs ? { logs: deps.logs } : {}),
  });
  log.info({ verdict: result.verdict, problems: result.problems }, 'verification check');
  const current = { ...data, ...(statusRef ? { statusRef } : {}) };
  const last = data.check >= checksIn(data);
  const settling = !last && result.verdict === 'critical' && stillAveragingTheChange(deps.catalog.defaults.range, data, result);
  if (result.verdict === 'critical' && !settling) {
    await regression(deps, current, result, log);
    return 'regression';
  }
  if (last) {
    // Below critical (the runbook's thresholds) the mitigation held; a warning left at the end is said as one, not as a regression.
    await pass(deps, current, result, log);
    return result.verdict === 'warning' ? 'warning' : 'pass';
  }
  await new Thread(deps, current, log).status(say.progressMessage(current, result, settling ? deps.catalog.defaults.range : undefined));
  await deps.queue.schedule({ ...current, check: data.check + 1 });
  return 'holding';
}

/**
 * The catalog's indicators are `rate(...[range])` averages: until `range` has passed since
 * the mitigation, a critical reading still averages in the minutes before it, so it is not yet
 * a verdict on the change (a good rollback would read as a regression at its first check).
 * The health endpoint and an unreadable Prometheus speak for the present and stay conclusive,
 * and the last check decides whatever it reads.
 */
function stillAveragingTheChange(range: string, data: VerifyJobData, result: CheckResult): boolean {
  // Repeating traces settle too: the 5 minutes of logs still reach back before the change on pods it did not replace.
  const onlyReadings = (!result.health || result.health.ok) && !result.metricsUnavailable && !result.logsUnavailable;
  return onlyReadings && Date.now() - data.startedAt < durationMs(range);
}

async function verdict(
  deps: VerifyWorkerDeps,
  data: VerifyJobData,
  value: EvidenceRecord['verdict'],
  detail: string,
  log: Logger,
): Promise<EvidenceRecord | undefined> {
  if (!deps.evidence || !data.evidenceId) return undefined;
  try {
    return await deps.evidence.setVerdict(data.evidenceId, value, detail, {
      actor: data.actor,
      requestId: data.requestId,
      ...(data.conversation ? { conversation: data.conversation } : {}),
    });
  } catch (error) {
    log.warn({ err: error }, 'could not record the verification verdict in the evidence');
    return undefined;
  }
}

async function pass(deps: VerifyWorkerDeps, data: VerifyJobData, result: CheckResult, log: Logger): Promise<void> {
  const thread = new Thread(deps, data, log);
  const warning = result.verdict === 'warning';
  const held = `held for ${formatDuration(data.windowMs)}`;
  const evidence = await verdict(deps, data, 'pass', warning ? `${held}; warning at the last check: ${result.problems.join('; ')}` : held, log);
  const notes: string[] = [];
  const svc = deps.catalog.services[data.service]!;
  if (warning && svc.verification.resolvePagerDutyOnPass && deps.resolver) {
    notes.push('PagerDuty incident left open while the warning lasts: resolve it once it clears.');
  } else if (svc.verification.resolvePagerDutyOnPass && deps.resolver) {
    try {
      await deps.resolver.resolve(data.service, data.env, `maestro-bot: ${data.action} of ${data.service} verified, healthy for ${formatDuration(data.windowMs)}`);
      notes.push('PagerDuty incident resolved; incident marked mitigated.');
    } catch (error) {
      log.warn({ err: error }, 'could not resolve the PagerDuty incident');
      notes.push('Could not resolve the PagerDuty incident (see the bot log); resolve it by hand.');
    }
  }
  const link = await deps.statuspageLinks?.current(data.service, data.env).catch(() => undefined);
  const message = say.passMessage(data, result, evidence, link?.id);
  await thread.status({
    ...say.progressMessage({ ...data, check: checksIn(data) }, result),
    severity: warning ? 'warning' : 'success',
    text: warning ? 'Passed, with a warning.' : 'Passed.',
  });
  await thread.reply(notes.length > 0 ? { ...message, footer: notes.join(' ') } : message);
}

async function regression(deps: VerifyWorkerDeps, data: VerifyJobData, result: CheckResult, log: Logger): Promise<void> {
  const thread = new Thread(deps, data, log);
  const summary = `${data.service} in ${data.env} regressed after ${data.action} (job ${data.jobNumber}): ${result.problems.join('; ')}`;
  const evidence = await verdict(deps, data, 'regression', result.problems.join('; '), log);
  let footer: string | undefined;
  if (deps.resolver) {
    try {
      await deps.resolver.repage(data.service, data.env, summary.slice(0, 1024));
      footer = 'On-call paged again.';
    } catch (error) {
      log.warn({ err: error }, 'could not re-page');
      footer = 'Could not page on-call again (see the bot log): page them by hand.';
    }
  }
  await thread.status({ ...say.progressMessage(data, result), severity: 'critical', text: 'Regressed.' });
  const message = say.regressionMessage(data, result, evidence);
  await thread.reply(footer ? { ...message, footer } : message);
}
