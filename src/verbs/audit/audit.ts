import { z } from 'zod';
import type { Action } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { done } from '../../core/action-result.js';
import type { AuditReader, StoredAuditEntry } from '../../core/audit.js';
import { capRows } from '../shared/code-block.js';

/** What `audit` reads from: the Redis stream (RedisAuditSink implements it). */
export type AuditPorts = { auditTrail: AuditReader };

export const AuditArgs = z.object({
  service: z.string().optional().describe('only records about this service').register(argMeta, { kind: 'service', placeholder: 'S' }),
  actor: z.string().min(1).max(200).optional().describe('only records by this user (id or name)').register(argMeta, { placeholder: 'U' }),
  since: z
    .number()
    .int()
    .positive()
    .max(90 * 86_400)
    .default(86_400)
    .describe('how far back (default 24h)')
    .register(argMeta, { kind: 'duration', placeholder: '24h' }),
  limit: z.number().int().min(1).max(500).default(20).describe('at most this many records (default 20, up to 500)'),
  json: z.boolean().default(false).describe('export as JSON lines'),
});
type AuditArgs = z.infer<typeof AuditArgs>;

export const audit: Action<AuditArgs, AuditPorts> = {
  name: 'audit',
  summary: 'The audit trail: requests, decisions, approvals, jobs and changes, newest first',
  args: AuditArgs,
  risk: 'read',
  examples: ['audit', 'audit --service maestro-orchestrator --since 2h', 'audit --actor ada --limit 50 --json'],
  async execute(ctx, args) {
    const entries = await ctx.ports.auditTrail.query({ service: args.service, actor: args.actor, sinceMs: args.since * 1000, limit: args.limit });
    const scope = [args.service, args.actor && `by ${args.actor}`, `last ${shown(args.since)}`].filter(Boolean).join(', ');
    if (entries.length === 0) return done({ title: `No audit records (${scope})`, severity: 'info', text: 'Nothing matched.' });
    if (args.json) {
      return done({ title: `Audit export: ${entries.length} records (${scope})`, severity: 'info', code: entries.map((e) => JSON.stringify(e)).join('\n'), footer: 'One JSON record per line, newest first.' });
    }
    // Newest first: the first rows are the ones to keep.
    const { rows, cut } = capRows(
      entries.map((e) => [e.at.slice(0, 19).replace('T', ' '), actorOf(e), record(e), e.action ?? '', targetOf(e), outcome(e)]),
      'first',
    );
    return done({
      title: `Audit trail: ${entries.length} records (${scope})`,
      severity: 'info',
      table: { columns: ['TIME', 'ACTOR', 'RECORD', 'ACTION', 'TARGET', 'OUTCOME'].map((header) => ({ header })), rows },
      footer: cut > 0 ? `${cut} older record${cut === 1 ? '' : 's'} not shown, to fit the message; use --json, a smaller --limit or a filter.` : undefined,
    });
  },
};

function actorOf(e: StoredAuditEntry): string {
  return e.actor ? `${e.actor.name} (${e.actor.platform})` : '?';
}

function record(e: StoredAuditEntry): string {
  const flagged = e.detail?.breakGlass === true ? ' BREAK-GLASS' : '';
  return `${e.type}${e.decision ? ` ${e.decision}` : ''}${flagged}`;
}

function targetOf(e: StoredAuditEntry): string {
  if (!e.service) return '';
  return e.env ? `${e.service}/${e.env}` : e.service;
}

function outcome(e: StoredAuditEntry): string {
  const rule = typeof e.detail?.rule === 'string' ? `rule ${e.detail.rule}` : '';
  const text = [rule, e.result ?? ''].filter(Boolean).join(': ');
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function shown(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${seconds}s`;
}
