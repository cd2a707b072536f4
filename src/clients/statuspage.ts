import { setTimeout as delay } from 'node:timers/promises';
import axios, { type AxiosInstance, isAxiosError } from 'axios';
import { z } from 'zod';
import { UserError } from '../core/errors.js';

/** Environment variables this adapter reads (main.ts extends the env schema with them). */
export const StatuspageEnvShape = {
  STATUSPAGE_PAGE_ID: z.string().min(1).optional(),
  STATUSPAGE_API_KEY: z.string().min(1).optional(),
  STATUSPAGE_API_URL: z.url().default('https://api.statuspage.io/v1'),
};

export const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type Impact = (typeof IMPACTS)[number];
export type ComponentStatus = 'operational' | 'under_maintenance' | 'degraded_performance' | 'partial_outage' | 'major_outage';

/** How an incident's impact shows on its components while it is open. */
export function componentStatusFor(impact: Impact): ComponentStatus {
  return ({ none: 'operational', minor: 'degraded_performance', major: 'partial_outage', critical: 'major_outage' } as const)[impact];
}

export interface IncidentInput {
  name?: string;
  status: IncidentStatus;
  body?: string;
  impact?: Impact;
  /** Component id → status. */
  components?: Record<string, ComponentStatus>;
}

const IncidentResponse = z.looseObject({
  id: z.string(),
  name: z.string(),
  status: z.string(),
  impact: z.string().optional(),
  shortlink: z.string().nullish(),
  page_id: z.string().optional(),
});
export type StatuspageIncident = z.infer<typeof IncidentResponse>;

export interface StatuspageOptions {
  pageId: string;
  apiKey: string;
  /** Default https://api.statuspage.io/v1. */
  baseUrl?: string;
  /** Retries of a rate-limited (420/429) request (default 4). */
  retries?: number;
  /** First backoff; doubles each retry, or Retry-After when given (default 1000 ms). */
  backoffMs?: number;
  timeoutMs?: number;
}

/** The Statuspage REST API v1: incidents with component statuses. */
export class StatuspageClient {
  private readonly http: AxiosInstance;

  constructor(private readonly options: StatuspageOptions) {
    this.http = axios.create({
      baseURL: (options.baseUrl ?? 'https://api.statuspage.io/v1').replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 10_000,
      headers: { Authorization: `OAuth ${options.apiKey}`, 'Content-Type': 'application/json' },
      validateStatus: () => true,
    });
  }

  async create(input: IncidentInput): Promise<StatuspageIncident> {
    return this.send('post', `/pages/${this.options.pageId}/incidents`, this.body(input));
  }

  async update(id: string, input: IncidentInput): Promise<StatuspageIncident> {
    return this.send('patch', `/pages/${this.options.pageId}/incidents/${encodeURIComponent(id)}`, this.body(input));
  }

  private body(input: IncidentInput): unknown {
    const components = input.components ?? {};
    return {
      incident: {
        ...(input.name ? { name: input.name.slice(0, 255) } : {}),
        status: input.status,
        ...(input.body ? { body: input.body } : {}),
        ...(input.impact ? { impact_override: input.impact } : {}),
        ...(Object.keys(components).length > 0 ? { component_ids: Object.keys(components), components } : {}),
      },
    };
  }

  private async send(method: 'post' | 'patch', path: string, data: unknown): Promise<StatuspageIncident> {
    const retries = this.options.retries ?? 4;
    for (let attempt = 0; ; attempt++) {
      let response: { status: number; data: unknown; headers: Record<string, unknown> };
      try {
        response = await this.http.request({ method, url: path, data });
      } catch (error) {
        throw new Error(`Statuspage unreachable: ${isAxiosError(error) ? (error.code ?? error.message) : String(error)}`);
      }
      // Statuspage answers 420 (its own) or 429 when a token exceeds ~1 request/s.
      if ((response.status === 420 || response.status === 429) && attempt < retries) {
        await delay(retryDelay(response.headers['retry-after'], (this.options.backoffMs ?? 1000) * 2 ** attempt));
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        throw new UserError('Statuspage refused the API key: check STATUSPAGE_API_KEY and that it may manage this page', 'statuspage_auth');
      }
      if (response.status === 404) {
        throw new UserError(`Statuspage has no such page or incident (${path}): check STATUSPAGE_PAGE_ID and the incident id`, 'statuspage_not_found');
      }
      if (response.status === 420 || response.status === 429) {
        throw new Error(`Statuspage is still rate limiting after ${retries} retries`);
      }
      if (response.status >= 400 && response.status < 500) {
        throw new UserError(`Statuspage rejected the incident: ${describe(response.data)}`, 'statuspage_rejected');
      }
      if (response.status >= 300) throw new Error(`Statuspage answered HTTP ${response.status}`);
      const parsed = IncidentResponse.safeParse(response.data);
      if (!parsed.success) throw new Error('Statuspage answered with an unexpected body');
      return parsed.data;
    }
  }
}

function retryDelay(header: unknown, fallback: number): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? Math.min(seconds * 1000, 30_000) : fallback;
}

function describe(body: unknown): string {
  if (body && typeof body === 'object' && 'error' in body) {
    const e = (body as { error: unknown }).error;
    return Array.isArray(e) ? e.join('; ') : String(e);
  }
  return 'no reason given';
}
