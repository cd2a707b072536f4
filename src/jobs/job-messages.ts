import type { Message, Progress } from '../core/message.js';
import type { QueuedJobData } from './job-data.js';

/**
 * Every word a job says in chat, decided here and nowhere else. The job's own
 * message (the plan card) is edited as the job moves; outcomes are also replied in
 * its thread so people following the thread are notified.
 */

function fields(data: QueuedJobData, status: string): Message['fields'] {
  return [
    { label: 'Job', value: String(data.jobNumber) },
    { label: 'Requested by', value: data.actor.name },
    { label: 'Environment', value: data.env },
    { label: 'Status', value: status },
  ];
}

export function runningMessage(data: QueuedJobData, progress?: Progress): Message {
  return {
    title: data.plan.summary,
    severity: 'info',
    fields: fields(data, 'running'),
    ...(progress ? { progress } : {}),
    footer: `cancel ${data.jobNumber} to stop it`,
  };
}

export function retryingMessage(data: QueuedJobData, attempt: number, attempts: number): Message {
  return {
    title: data.plan.summary,
    severity: 'warning',
    fields: fields(data, `retrying after an error (attempt ${attempt + 1} of ${attempts})`),
    footer: `cancel ${data.jobNumber} to stop it`,
  };
}

export function succeededMessage(data: QueuedJobData, result: Message): Message {
  return { title: data.plan.summary, severity: 'success', fields: fields(data, 'done'), text: result.title };
}

export function failedMessage(data: QueuedJobData, reason: string): Message {
  return { title: data.plan.summary, severity: 'critical', fields: fields(data, 'failed'), text: reason };
}

export function failedReply(data: QueuedJobData, reason: string): Message {
  return { title: `Job ${data.jobNumber} failed`, severity: 'critical', text: reason };
}

export function cancelledMessage(data: QueuedJobData, by: string): Message {
  return { title: data.plan.summary, severity: 'warning', fields: fields(data, `cancelled by ${by}`) };
}

/** `stoppedAt`: what the action said when it stopped for the cancel (a change applied, its rollout no longer followed). */
export function cancelledReply(data: QueuedJobData, by: string, stoppedAt?: Message): Message {
  return {
    title: `Job ${data.jobNumber} cancelled by ${by}`,
    severity: 'warning',
    text: stoppedAt?.text ?? 'It stopped at the next safe point; check the target before running it again.',
    ...(stoppedAt?.fields ? { fields: stoppedAt.fields } : {}),
  };
}

export function refusedMessage(data: QueuedJobData, reason: string): Message {
  return { title: data.plan.summary, severity: 'warning', fields: fields(data, 'refused'), text: `${reason}. Nothing was changed.` };
}

export function refusedReply(data: QueuedJobData, reason: string): Message {
  return { title: `Job ${data.jobNumber} refused`, severity: 'warning', text: `${reason}. Nothing was changed; run it again once that job has finished.` };
}

export function resumedNote(data: QueuedJobData): Message {
  return {
    title: `Job ${data.jobNumber} resumed after a worker restart`,
    severity: 'info',
    text: 'It checks what was already done before changing anything.',
  };
}

/** What a user sees for an error that is not theirs; the details are in the log under `ref`. */
export function internalErrorText(ref: string): string {
  return `something went wrong (ref ${ref})`;
}
