import { z } from 'zod';
import { KubernetesApiError } from '../../clients/kubernetes/errors.js';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import { redactText } from '../../core/redact.js';
import { compileUserPattern, MAX_MATCHED_LINE, type UserPattern } from '../../core/user-pattern.js';
import { capTail } from '../shared/code-block.js';
import type { PodInfo, PodReader } from '../shared/kubernetes-ports.js';
import { resolveTarget, type Target } from '../shared/target.js';
import { describeSeconds, durationSeconds } from './log-window.js';
import { mergeByTime, type PodLine, podLines } from './merged-lines.js';

export type LogsPorts = { kubernetes: PodReader };

/** Lines read per pod when --tail is not given; the message holds far less, the attachment all of them. */
const DEFAULT_TAIL = 500;
/** The most --tail asks for: enough for a crash's story, small enough to read, merge and attach in one request. */
export const MAX_TAIL = 5000;
const MAX_PODS = 10;
const YIELD_EVERY_LINES = 50;
const DEFAULT_SINCE = '10m';

export const LogsArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose pod logs to tail').register(argMeta, { positional: true, kind: 'service' }),
  since: z
    .union([z.string().regex(/^\d+[smhd]$/, 'a duration like 30s, 10m, 2h'), z.number().int().positive()])
    .optional()
    .describe(`how far back: 30s, 10m, 2h (default ${DEFAULT_SINCE}; with --previous, the whole previous run)`)
    .register(argMeta, { kind: 'duration', placeholder: DEFAULT_SINCE }),
  grep: z.string().min(1).optional().describe('only lines matching this regular expression (RE2 syntax)').register(argMeta, { placeholder: 're' }),
  tail: z
    .number()
    .int()
    .min(1)
    .max(MAX_TAIL)
    .optional()
    .describe(`the last N lines of all pods merged, 1 to ${MAX_TAIL} (each pod's last N are read, then --grep; default ${DEFAULT_TAIL} per pod)`)
    .register(argMeta, { placeholder: 'N' }),
  pod: z
    .string()
    .max(253)
    .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, 'must be a pod name (lowercase letters, digits, - and .)')
    .optional()
    .describe("only this pod (one of the service's pods)")
    .register(argMeta, { placeholder: 'P' }),
  previous: z.boolean().optional().describe("the crashed container's last run (as kubectl logs --previous)"),
});
export type LogsArgs = z.infer<typeof LogsArgs>;

/** A line longer than the pattern engine reads is cut before redaction, so neither runs on unbounded input. */
function bounded(line: string): string {
  return line.length > MAX_MATCHED_LINE ? `${line.slice(0, MAX_MATCHED_LINE)}…` : line;
}

/** The pods to read: the one named with --pod (it must be the service's), else the first few. */
function choosePods(target: Target, pods: readonly PodInfo[], wanted: string | undefined): PodInfo[] {
  if (wanted === undefined) return pods.slice(0, MAX_PODS);
  const found = pods.find((p) => p.name === wanted);
  if (!found) {
    const names = pods.map((p) => p.name).join(', ') || 'none';
    throw new UserError(`pod ${wanted} is not one of ${target.service}'s pods in ${target.env}: ${names}`, 'unknown_pod');
  }
  return [found];
}

/**
 * With --previous, only pods whose container has restarted have a previous run (what
 * `kubectl logs --previous` refuses otherwise). A pod named that never restarted is the
 * asker's mistake; none restarted at all is an answer (the "Crash logs" button of a crash
 * alert that has since stopped), said in the thread like any other.
 */
function withPreviousRun(pods: readonly PodInfo[], named: boolean): PodInfo[] {
  const restarted = pods.filter((p) => p.restarts > 0);
  if (restarted.length > 0 || !named) return restarted;
  throw new UserError(`pod ${pods[0]!.name} has not restarted, so it has no previous run to show; without --previous you get its current logs`, 'no_previous_run');
}

/** The API server's answer for a container with no terminated run (a restart may have raced the listing). */
function isNoPreviousRun(error: unknown): boolean {
  return error instanceof KubernetesApiError && error.status === 400 && /previous terminated container/.test(error.message);
}

export const logs: Action<LogsArgs, LogsPorts> = {
  name: 'logs',
  summary: "Tail a service's pod logs, secrets redacted",
  args: LogsArgs,
  risk: 'read',
  examples: [
    'logs maestro-orchestrator',
    'logs maestro-orchestrator --since 30m --grep "compliance|ERROR"',
    'logs maestro-orchestrator --previous --tail 200',
  ],
  async execute(ctx, args) {
    const target = resolveTarget(ctx, args.service);
    const pattern: UserPattern | undefined = args.grep === undefined ? undefined : compileUserPattern(args.grep);
    // A previous run may have ended long ago: only a --since typed with --previous narrows it.
    const sinceSeconds = args.since === undefined ? (args.previous ? undefined : durationSeconds(DEFAULT_SINCE)) : durationSeconds(args.since);
    const k8s = ctx.ports.kubernetes;
    let pods = choosePods(target, await k8s.listPods(target.ref.namespace, target.envSpec.selector), args.pod);
    if (args.previous) pods = withPreviousRun(pods, args.pod !== undefined);
    if (pods.length === 0) {
      return done({
        title: `Logs of ${target.service} in ${target.env}`,
        severity: 'info',
        text: `No pod of ${target.service} in ${target.env} has restarted, so there is no previous run to show; without --previous you get the current logs.`,
      });
    }
    const perPod: PodLine[][] = [];
    for (const pod of pods) {
      let text: string;
      try {
        text = await k8s.podLogs(target.ref.namespace, pod.name, {
          container: target.envSpec.container,
          ...(sinceSeconds === undefined ? {} : { sinceSeconds }),
          tailLines: args.tail ?? DEFAULT_TAIL,
          timestamps: true,
          ...(args.previous ? { previous: true } : {}),
        });
      } catch (error) {
        if (args.previous && isNoPreviousRun(error)) continue;
        throw error;
      }
      const kept: PodLine[] = [];
      for (const [index, line] of podLines(pod.name, text).entries()) {
        // Matching runs in slices, so that other requests get their turns of the loop in between.
        if (index % YIELD_EVERY_LINES === YIELD_EVERY_LINES - 1) await new Promise((resolve) => setImmediate(resolve));
        // Redact before matching, so a grep for a secret cannot confirm its value.
        const shown = redactText(bounded(line.text));
        if (pattern && !pattern.test(shown)) continue;
        kept.push({ ...line, text: shown });
      }
      perPod.push(kept);
    }
    const merged = mergeByTime(perPod);
    const chosen = args.tail === undefined ? merged : merged.slice(-args.tail);
    // One pod needs no prefix to say whose line it is.
    const lines = chosen.map((l) => (pods.length === 1 ? l.text : `${l.pod}: ${l.text}`));
    const capped = capTail(lines);
    const filter = args.grep ? ` matching /${args.grep}/` : '';
    const run = args.previous ? ' of the previous run' : '';
    const window = sinceSeconds === undefined ? 'whole run' : `last ${describeSeconds(sinceSeconds)}`;
    const from = pods.length === 1 ? `pod ${pods[0]!.name}` : `${pods.length} pods`;
    const count = `${lines.length} line${lines.length === 1 ? '' : 's'}${run}`;
    const filename = `${target.service}-${target.env}${args.previous ? '-previous' : ''}.log`;
    const answer = done({
      title: `Logs of ${target.service} in ${target.env}`,
      severity: 'info',
      text: lines.length === 0 ? `No log lines${run}${filter} in the ${window} from ${from}.` : `${count}${filter} from ${from}, ${window}; secrets redacted.`,
      code: lines.length > 0 ? capped.code : undefined,
      footer: capped.note,
    });
    // What the message had to leave out travels whole, for chats that can carry it.
    return capped.note ? { ...answer, output: { filename, lines, footer: `All ${lines.length} lines are in ${filename}.` } } : answer;
  },
};

