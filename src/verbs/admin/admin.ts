import { z } from 'zod';
import type { AdminApi } from '../../config/service-api-schema.js';
import { done } from '../../core/action-result.js';
import type { Action, ActionContext } from '../../core/action.js';
import { argMeta } from '../../core/arg-meta.js';
import { UserError } from '../../core/errors.js';
import type { Message } from '../../core/message.js';
import { resolveTarget, type Target } from '../shared/target.js';
import { readView } from './read-formats.js';
import { adminBase, httpOf, jsonOf, type ServiceApiPorts, timeoutOf } from './service-api.js';

export type AdminPorts = ServiceApiPorts;

export const AdminArgs = z.object({
  service: z.string().min(1).describe('the catalog service whose admin API to read').register(argMeta, { positional: true, kind: 'service' }),
  read: z.string().min(1).describe("one of the reads the catalog declares for the service (failed-orchestrations, health-detailed, ...)").register(argMeta, { positional: true, placeholder: 'READ' }),
});
export type AdminArgs = z.infer<typeof AdminArgs>;

export interface AdminReadFacts {
  read: string;
  url: string;
  severity: Message['severity'];
}

/** The services whose catalog entry declares any `kind` (`reads`, `actions`) of admin endpoint, for the error that says where to look. */
export function servicesWith(ctx: ActionContext<unknown>, kind: 'reads' | 'actions'): string {
  const names = Object.entries(ctx.catalog.services)
    .filter(([, s]) => Object.keys(s.admin?.[kind] ?? {}).length > 0)
    .map(([n]) => n);
  return names.join(', ') || 'none';
}

/** The declared entry `name` of `kind`, or a UserError listing the declared ones. */
export function declared<K extends 'reads' | 'actions'>(ctx: ActionContext<unknown>, target: Target, kind: K, name: string): AdminApi[K][string] {
  const entries = (target.spec.admin?.[kind] ?? {}) as Record<string, AdminApi[K][string]>;
  const names = Object.keys(entries);
  const noun = kind === 'reads' ? 'admin read' : 'admin action';
  if (names.length === 0) {
    throw new UserError(`${target.service} has no ${noun}s in the catalog (services that have some: ${servicesWith(ctx, kind)})`, `no_${noun.replace(' ', '_')}`);
  }
  const entry = Object.hasOwn(entries, name) ? entries[name] : undefined;
  if (!entry) throw new UserError(`unknown ${noun} '${name.slice(0, 40)}' for ${target.service} (declared: ${names.join(', ')})`, `unknown_${noun.replace(' ', '_')}`);
  return entry;
}

export const admin: Action<AdminArgs, AdminPorts, unknown, AdminReadFacts> = {
  name: 'admin',
  summary: "Read the service's admin API as the runbooks do (failed orchestrations, router models, health/detailed)",
  args: AdminArgs,
  risk: 'read',
  examples: ['admin victor-coordinators health-detailed', 'admin maestro-orchestrator failed-orchestrations'],
  async execute(ctx, args) {
    const target = resolveTarget(ctx, args.service);
    const read = declared(ctx, target, 'reads', args.read);
    const url = `${adminBase(ctx, target, `read its ${args.read}`)}${read.path}`;
    const timeoutMs = timeoutOf(ctx);
    const answer = await httpOf(ctx).call({ method: 'GET', url, timeoutMs });
    const what = `${target.service}'s ${args.read} (GET ${read.path})`;
    const view = readView(read.format, jsonOf(answer, what, timeoutMs), what);
    const message: Message = {
      title: `${args.read} of ${target.service} in ${target.env}: ${view.headline}`,
      severity: view.severity,
      text: read.description,
      fields: view.fields,
      ...(view.code ? { code: view.code } : {}),
      footer: [view.note, `GET ${read.path} in ${answer.latencyMs} ms · namespace ${target.ref.namespace}`].filter(Boolean).join(' · '),
    };
    return done(message, { read: args.read, url, severity: view.severity });
  },
};
