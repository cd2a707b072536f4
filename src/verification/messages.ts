import { formatDuration } from '../core/duration.js';
import { formatValue } from '../core/health.js';
import type { Field, Message, MessageAction } from '../core/message.js';
import { BUTTON } from '../pipeline/buttons.js';
import type { CheckResult } from './check.js';
import type { EvidenceRecord } from '../core/evidence-record.js';
import { evidenceLines } from '../core/evidence-record.js';
import { checksIn, type VerifyJobData } from './verify-data.js';

/** Every word verification says in chat. */

function title(data: VerifyJobData): string {
  return `Verifying ${data.action} of ${data.service} in ${data.env} (job ${data.jobNumber})`;
}

export function valueFields(result: CheckResult): Field[] {
  const fields: Field[] = [];
  if (result.health) fields.push({ label: 'Health endpoint', value: result.health.detail });
  if (result.metricsUnavailable) fields.push({ label: 'Metrics', value: `metrics unavailable (${result.metricsUnavailable})` });
  for (const r of result.readings) {
    fields.push({ label: r.name, value: r.value === undefined ? 'no data' : `${formatValue(r.indicator.unit, r.value)} ${r.grade}` });
  }
  if (result.logsUnavailable) fields.push({ label: 'Logs', value: `logs unavailable (${result.logsUnavailable})` });
  else if (result.traces) {
    const n = result.traces.length;
    fields.push({ label: 'Logs', value: n === 0 ? 'no repeating stack traces in the last 5m' : `${n} repeating stack trace${n === 1 ? '' : 's'} in the last 5m` });
  }
  return fields;
}

export function startedMessage(data: VerifyJobData): Message {
  return {
    title: title(data),
    severity: 'info',
    text: `Checking the health endpoint and the catalog's indicators every ${formatDuration(data.intervalMs)} for ${formatDuration(data.windowMs)} (runbook: below thresholds for the whole window).`,
    progress: { done: 0, total: checksIn(data), label: 'checks passed' },
  };
}

/** `settlingRange`: the readings are critical but still average the `range` before the change. */
export function progressMessage(data: VerifyJobData, result: CheckResult, settlingRange?: string): Message {
  const watching = `Watching: ${result.problems.join('; ')}`;
  return {
    title: title(data),
    severity: result.verdict === 'ok' ? 'info' : 'warning',
    text:
      result.verdict === 'ok'
        ? 'Holding so far.'
        : settlingRange
          ? `${watching} (settling: these readings still average the ${settlingRange} before the change)`
          : watching,
    fields: valueFields(result),
    progress: { done: data.check, total: checksIn(data), label: 'checks passed' },
  };
}

export function passMessage(data: VerifyJobData, result: CheckResult, evidence?: EvidenceRecord, statuspageIncident?: string): Message {
  const actions: MessageAction[] = statuspageIncident
    ? [{ id: BUTTON.run, label: 'Resolve status page incident', style: 'primary', value: `statuspage resolve ${statuspageIncident}` }]
    : [];
  const warning = result.verdict === 'warning';
  const open = statuspageIncident ? `The status page incident ${statuspageIncident} is still open: statuspage resolve ${statuspageIncident}` : undefined;
  const held = `${data.service} in ${data.env} held for ${formatDuration(data.windowMs)} after the ${data.action}`;
  return {
    title: warning ? `Verification passed with a warning: ${held}` : `Verification passed: ${held}`,
    severity: warning ? 'warning' : 'success',
    text: warning ? [`Below critical for the whole window; still a warning at the last check: ${result.problems.join('; ')}`, open].filter(Boolean).join('\n') : open,
    fields: valueFields(result),
    ...(evidence ? { code: ['Evidence record', ...evidenceLines(evidence)].join('\n') } : {}),
    ...(actions.length > 0 ? { actions } : {}),
  };
}

export function regressionMessage(data: VerifyJobData, result: CheckResult, evidence?: EvidenceRecord): Message {
  const elapsed = formatDuration(Math.max(0, Math.round((Date.now() - data.startedAt) / 1000) * 1000));
  return {
    title: `Regression: ${data.service} in ${data.env} is not healthy ${elapsed} after the ${data.action}`,
    severity: 'critical',
    text: `${result.problems.join('; ')}${data.nextCommand ? `\nNext: ${data.nextCommand}` : ''}`,
    fields: valueFields(result),
    ...(evidence ? { code: ['Evidence record', ...evidenceLines(evidence)].join('\n') } : {}),
    ...(data.nextCommand
      ? { actions: [{ id: BUTTON.run, label: data.nextCommand.slice(0, 75), style: 'danger' as const, value: data.nextCommand }] }
      : {}),
  };
}
