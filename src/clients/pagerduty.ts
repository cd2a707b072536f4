import type { Agent } from 'node:https';
import { api, event } from '@pagerduty/pdjs';
import { z } from 'zod';
import type { Severity as CatalogSeverity } from '../config/catalog-schema.js';

/** Environment variables this adapter reads (main.ts extends the env schema with them). */
export const PagerDutyEnvShape = {
  /** REST API key (Token token=...); Acknowledge/Resolve in chat need it. */
  PAGERDUTY_API_TOKEN: z.string().min(1).optional(),
  /** The PagerDuty user the bot acts as: REST writes must name one in `From`. */
  PAGERDUTY_FROM_EMAIL: z.email().optional(),
  PAGERDUTY_API_URL: z.url().default('https://api.pagerduty.com'),
  /** Host (and port) of the Events API; pdjs always speaks https to it. */
  PAGERDUTY_EVENTS_HOST: z.string().min(1).default('events.pagerduty.com'),
  /** Secret(s) of the v3 webhook subscription, comma-separated while rotating. */
  PAGERDUTY_WEBHOOK_SECRET: z.string().min(1).optional(),
};

export type EventSeverity = 'critical' | 'error' | 'warning' | 'info';

const SEVERITY: Record<CatalogSeverity, EventSeverity> = { P0: 'critical', P1: 'critical', P2: 'error', P3: 'warning', P4: 'info' };

export function eventSeverity(severity: CatalogSeverity): EventSeverity {
  return SEVERITY[severity];
}

export interface TriggerInput {
  routingKey: string;
  dedupKey: string;
  summary: string;
  severity: EventSeverity;
  source: string;
  component?: string;
  group?: string;
  class?: string;
  customDetails?: Record<string, unknown>;
  links?: { href: string; text: string }[];
}

export interface PagerDutyIncidentRef {
  id: string;
  status: string;
  htmlUrl?: string;
}

/** A PagerDuty call that failed; carries no key, token or payload. */
export class PagerDutyError extends Error {
  override readonly name = 'PagerDutyError';
  constructor(
    readonly operation: string,
    readonly status: number,
    detail?: string,
  ) {
    super(`PagerDuty ${operation} failed: HTTP ${status}${detail ? ` (${detail})` : ''}`);
  }
}

export interface PagerDutyOptions {
  apiToken?: string;
  fromEmail?: string;
  apiUrl?: string;
  eventsHost?: string;
  /** Only tests set it: an agent trusting the fake events server's self-signed certificate. */
  eventsAgent?: Agent;
  timeoutMs?: number;
}

const IncidentList = z.looseObject({
  incidents: z.array(z.looseObject({ id: z.string(), status: z.string(), html_url: z.string().optional() })),
});

/**
 * PagerDuty through @pagerduty/pdjs: Events API v2 to trigger and resolve by dedup
 * key, REST v2 to acknowledge, resolve and annotate an incident as the bot's user.
 * pdjs resolves on any HTTP status, so every answer is checked here; it retries
 * only 429s, so 5xx and network errors surface as errors for the job to retry.
 */
export class PagerDutyClient {
  private readonly apiUrl: string;
  private readonly eventsHost: string;
  private readonly timeoutMs: number;

  constructor(private readonly options: PagerDutyOptions) {
    this.apiUrl = (options.apiUrl ?? 'https://api.pagerduty.com').replace(/\/+$/, '');
    this.eventsHost = options.eventsHost ?? 'events.pagerduty.com';
    this.timeoutMs = options.timeoutMs ?? 10_000;
  }

  get canWrite(): boolean {
    return Boolean(this.options.apiToken && this.options.fromEmail);
  }

  async trigger(input: TriggerInput): Promise<void> {
    await this.sendEvent('trigger', input.routingKey, input.dedupKey, {
      payload: {
        summary: input.summary.slice(0, 1024),
        source: input.source,
        severity: input.severity,
        ...(input.component ? { component: input.component } : {}),
        ...(input.group ? { group: input.group } : {}),
        ...(input.class ? { class: input.class } : {}),
        ...(input.customDetails ? { custom_details: input.customDetails } : {}),
      },
      ...(input.links?.length ? { links: input.links } : {}),
    });
  }

  async resolveEvent(routingKey: string, dedupKey: string): Promise<void> {
    await this.sendEvent('resolve', routingKey, dedupKey, {});
  }

  /** The open incident created by events with this dedup key (PagerDuty calls it the incident key). */
  async findIncident(dedupKey: string): Promise<PagerDutyIncidentRef | undefined> {
    const url = `${this.apiUrl}/incidents?${new URLSearchParams({ incident_key: dedupKey }).toString()}`;
    const response = await this.rest('find incident', { url, method: 'GET' });
    const parsed = IncidentList.safeParse(response.data);
    const first = parsed.success ? parsed.data.incidents[0] : undefined;
    return first ? { id: first.id, status: first.status, ...(first.html_url ? { htmlUrl: first.html_url } : {}) } : undefined;
  }

  async setStatus(incidentId: string, status: 'acknowledged' | 'resolved'): Promise<void> {
    await this.rest(`${status === 'acknowledged' ? 'acknowledge' : 'resolve'} incident`, {
      url: `${this.apiUrl}/incidents/${encodeURIComponent(incidentId)}`,
      method: 'PUT',
      data: { incident: { type: 'incident_reference', status } },
      write: true,
    });
  }

  /**
   * Moves an incident to a level of its escalation policy, which notifies that level's
   * on-call: `PUT /incidents/{id}` with `escalation_level` on an incident_reference
   * (developer.pagerduty.com/api-reference/8a0e1aa2ec666-update-an-incident; REST writes name a user in `From`).
   */
  async setEscalationLevel(incidentId: string, level: number): Promise<void> {
    await this.rest('escalate incident', {
      url: `${this.apiUrl}/incidents/${encodeURIComponent(incidentId)}`,
      method: 'PUT',
      data: { incident: { type: 'incident_reference', escalation_level: level } },
      write: true,
    });
  }

  async addNote(incidentId: string, content: string): Promise<void> {
    await this.rest('add note', {
      url: `${this.apiUrl}/incidents/${encodeURIComponent(incidentId)}/notes`,
      method: 'POST',
      data: { note: { content: content.slice(0, 25_000) } },
      write: true,
    });
  }

  private async sendEvent(action: 'trigger' | 'resolve', routingKey: string, dedupKey: string, rest: Record<string, unknown>): Promise<void> {
    const response = await event({
      server: this.eventsHost,
      data: { routing_key: routingKey, event_action: action, dedup_key: dedupKey.slice(0, 255), ...rest } as Parameters<typeof event>[0]['data'],
      signal: AbortSignal.timeout(this.timeoutMs),
      // pdjs hands unknown options to its fetch (node-fetch in Node), which takes an agent.
      ...(this.options.eventsAgent ? ({ agent: this.options.eventsAgent } as object) : {}),
    }).catch((error: unknown) => {
      throw new PagerDutyError(`${action} event`, 0, (error as Error).message);
    });
    if (response.status !== 202 && (response.status < 200 || response.status >= 300)) {
      throw new PagerDutyError(`${action} event`, response.status, errorDetail(response.data));
    }
  }

  private async rest(operation: string, call: { url: string; method: string; data?: object; write?: boolean }) {
    if (!this.options.apiToken) throw new PagerDutyError(operation, 0, 'PAGERDUTY_API_TOKEN is not set');
    if (call.write && !this.options.fromEmail) throw new PagerDutyError(operation, 0, 'PAGERDUTY_FROM_EMAIL is not set');
    const response = await api({
      url: call.url,
      method: call.method,
      token: this.options.apiToken,
      ...(call.data ? { data: call.data } : {}),
      ...(call.write ? { headers: { From: this.options.fromEmail! } } : {}),
      signal: AbortSignal.timeout(this.timeoutMs),
    }).catch((error: unknown) => {
      // pdjs rejects with the Response itself when the body is not JSON.
      const status = typeof error === 'object' && error !== null && 'status' in error ? Number(error.status) : 0;
      throw new PagerDutyError(operation, status, error instanceof Error ? error.message : undefined);
    });
    if (response.status < 200 || response.status >= 300) throw new PagerDutyError(operation, response.status, errorDetail(response.data));
    return response;
  }
}

function errorDetail(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const error = (data as { error?: unknown; message?: unknown }).error ?? (data as { message?: unknown }).message;
  if (typeof error === 'string') return error.slice(0, 200);
  if (typeof error === 'object' && error !== null && 'message' in error) return String(error.message).slice(0, 200);
  return undefined;
}

/**
 * The Events routing keys the catalog names (per service env, by env var name),
 * read once by main.ts: `routingKeysFrom(catalog, process.env)`.
 */
export function routingKeysFrom(
  catalog: { services: Record<string, { envs: Record<string, { pagerdutyRoutingKeyEnv?: string | undefined }> }> },
  source: Record<string, string | undefined>,
): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const service of Object.values(catalog.services)) {
    for (const env of Object.values(service.envs)) {
      const name = env.pagerdutyRoutingKeyEnv;
      if (name && source[name]) keys[name] = source[name]!;
    }
  }
  return keys;
}
