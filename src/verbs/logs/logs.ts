import { formatDuration, parseDuration } from '../../core/duration.js';
import { z } from 'zod';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import { UserError } from '../../core/errors.js';
import { redactText } from '../../core/redact.js';
import { compileUserPattern, MAX_MATCHED_LINE, type UserPattern } from '../../core/user-pattern.js';
import { capTail } from '../shared/code-block.js';
import type { PodReader } from '../shared/kubernetes-ports.js';
import { resolveTarget } from '../shared/target.js';

export type LogsPorts = { kubernetes: PodReader };

/** The most a log tail reads from the API server per pod; the message holds far less anyway. */
const TAIL_LINES = 500;
const MAX_PODS = 10;
const YIELD_EVERY_LINES = 50;

export const LogsArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose pod logs to tail').register(argMeta, { positional: true, kind: 'service' }),
  since: z
    .union([z.string().regex(/^\d+[smhd]$/, 'a duration like 30s, 10m, 2h'), z.number().int().positive()])
    .default('10m')
    .describe('how far back: 30s, 10m, 2h (default 10m)')
    .register(argMeta, { kind: 'duration', placeholder: '10m' }),
  grep: z.string().min(1).optional().describe('only lines matching this regular expression (RE2 syntax)').register(argMeta, { placeholder: 're' }),
});
export type LogsArgs = z.infer<typeof LogsArgs>;

export function durationSeconds(since: string | number): number {
  if (typeof since === 'number') return since;
  const ms = parseDuration(since);
  if (ms === undefined || ms < 1000 || ms % 1000 !== 0) throw new UserError(`'${since}' is not a duration; use e.g. 30s, 10m, 2h`, 'bad_duration');
  return Math.floor(ms / 1000);
}

/** The grammar hands durations over in seconds; say them the way they were typed. */
export function describeSeconds(seconds: number): string {
  return formatDuration(seconds * 1000);
}

/** A line longer than the pattern engine reads is cut before redaction, so neither runs on unbounded input. */
function bounded(line: string): string {
  return line.length > MAX_MATCHED_LINE ? `${line.slice(0, MAX_MATCHED_LINE)}…` : line;
}

export const logs: Action<LogsArgs, LogsPorts> = {
  name: 'logs',
  summary: "Tail a service's pod logs, secrets redacted",
  args: LogsArgs,
  risk: 'read',
  examples: ['logs maestro-orchestrator', 'logs maestro-orchestrator --since 30m --grep "compliance|ERROR"'],
  async execute(ctx, args) {
    const target = resolveTarget(ctx, args.service);
    const pattern: UserPattern | undefined = args.grep === undefined ? undefined : compileUserPattern(args.grep);
    const sinceSeconds = durationSeconds(args.since);
    const window = describeSeconds(sinceSeconds);
    const k8s = ctx.ports.kubernetes;
    const pods = (await k8s.listPods(target.ref.namespace, target.envSpec.selector)).slice(0, MAX_PODS);
    const lines: string[] = [];
    for (const pod of pods) {
      const text = await k8s.podLogs(target.ref.namespace, pod.name, {
        container: target.envSpec.container,
        sinceSeconds,
        tailLines: TAIL_LINES,
      });
      for (const [index, raw] of text.split('\n').entries()) {
        if (!raw) continue;
        // Matching runs in slices, so that other requests get their turns of the loop in between.
        if (index % YIELD_EVERY_LINES === YIELD_EVERY_LINES - 1) await new Promise((resolve) => setImmediate(resolve));
        // Redact before matching, so a grep for a secret cannot confirm its value.
        const line = redactText(bounded(raw));
        if (pattern && !pattern.test(line)) continue;
        lines.push(`${pod.name}: ${line}`);
      }
    }
    const capped = capTail(lines);
    const filter = args.grep ? ` matching /${args.grep}/` : '';
    return done({
      title: `Logs of ${target.service} in ${target.env}`,
      severity: 'info',
      text:
        lines.length === 0
          ? `No log lines${filter} in the last ${window} from ${pods.length} pods.`
          : `${lines.length} line${lines.length === 1 ? '' : 's'}${filter} from ${pods.length} pods, last ${window}; secrets redacted.`,
      code: lines.length > 0 ? capped.code : undefined,
      footer: capped.note,
    });
  },
};
