import axios from 'axios';
import type { ActionContext } from '../../core/action.js';
import { UserError } from '../../core/errors.js';
import { redactText } from '../../core/redact.js';
import type { ServiceEndpoints } from '../../verification/ports.js';
import type { Target } from '../shared/target.js';

/**
 * The service's own HTTP API as `health`, `deps`, `admin` and `admin run` see it: one call,
 * bounded in time and size, answered as what happened (an answer, a timeout, no answer)
 * rather than thrown, so a probe that hangs is reported as such beside the ones that answered.
 */

export interface ServiceRequest {
  method: 'GET' | 'POST';
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs: number;
}

export type ServiceAnswer =
  | { kind: 'answered'; status: number; latencyMs: number; body: string }
  | { kind: 'timeout'; latencyMs: number }
  | { kind: 'unreachable'; latencyMs: number; reason: string };

export interface ServiceHttpPort {
  call(request: ServiceRequest): Promise<ServiceAnswer>;
}

export interface ServiceApiPorts {
  /** Where the admin API answers (the sandbox's in a drill); default: the catalog's adminUrl. */
  endpoints?: ServiceEndpoints;
  /** Default: HTTP with axios. */
  serviceHttp?: ServiceHttpPort;
  /** How long one call may take (default 3 s; the runbook's probes answer in milliseconds). */
  serviceTimeoutMs?: number;
}

/** A health endpoint's answer is small; a bigger one is not what we asked for, and is not read whole. */
const MAX_BODY_BYTES = 512 * 1024;

export const httpServiceApi: ServiceHttpPort = {
  async call(request) {
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    try {
      const response = await axios.request<string>({
        method: request.method,
        url: request.url,
        ...(request.body === undefined ? {} : { data: request.body }),
        headers: { accept: 'application/json', ...request.headers },
        timeout: request.timeoutMs,
        // Our own parse, so a body that is not JSON is named as such instead of passing as a string.
        responseType: 'text',
        transformResponse: (data: unknown) => data,
        maxContentLength: MAX_BODY_BYTES,
        maxRedirects: 0,
        validateStatus: () => true,
      });
      return { kind: 'answered', status: response.status, latencyMs: elapsed(), body: typeof response.data === 'string' ? response.data : '' };
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code === 'ECONNABORTED' || code === 'ETIMEDOUT') return { kind: 'timeout', latencyMs: elapsed() };
      return { kind: 'unreachable', latencyMs: elapsed(), reason: code ?? (error as Error).message };
    }
  },
};

export const DEFAULT_TIMEOUT_MS = 3000;

export function timeoutOf(ctx: ActionContext<ServiceApiPorts>): number {
  return ctx.ports.serviceTimeoutMs ?? DEFAULT_TIMEOUT_MS;
}

export function httpOf(ctx: ActionContext<ServiceApiPorts>): ServiceHttpPort {
  return ctx.ports.serviceHttp ?? httpServiceApi;
}

/**
 * The admin API's base URL for the target, without a trailing slash; a UserError naming what
 * to add when the catalog gives none. Asked of the catalog first even when the endpoints are
 * the sandbox's (which has one for every deployment), so a drill refuses what prod would.
 */
export function adminBase(ctx: ActionContext<ServiceApiPorts>, target: Target, forWhat: string): string {
  const declared = target.envSpec.adminUrl;
  const base = declared && ctx.ports.endpoints ? ctx.ports.endpoints.admin(target.service, target.env, target.envSpec) : declared;
  if (!base) throw new UserError(`${target.service} in ${target.env} has no adminUrl in the catalog; add one to ${forWhat}`, 'no_admin_url');
  return base.replace(/\/+$/, '');
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

/** One line for what a call that did not answer 2xx got: `timed out after 3 s`, `HTTP 503`, `unreachable (ECONNREFUSED)`. */
export function describeAnswer(answer: ServiceAnswer, timeoutMs: number): string {
  switch (answer.kind) {
    case 'timeout':
      return `timed out after ${seconds(timeoutMs)}`;
    case 'unreachable':
      return `unreachable (${answer.reason})`;
    case 'answered':
      return `HTTP ${answer.status}`;
  }
}

export function isSuccess(answer: ServiceAnswer): boolean {
  return answer.kind === 'answered' && answer.status >= 200 && answer.status < 300;
}

/** The JSON of a 2xx answer, or a UserError that says what `what` answered instead. */
export function jsonOf(answer: ServiceAnswer, what: string, timeoutMs: number): unknown {
  if (answer.kind !== 'answered' || !isSuccess(answer)) {
    const detail = answer.kind === 'answered' ? errorText(answer.body) : undefined;
    const happened =
      answer.kind === 'answered' ? `answered HTTP ${answer.status}` : answer.kind === 'timeout' ? describeAnswer(answer, timeoutMs) : `could not be reached (${answer.reason})`;
    throw new UserError(`${what} ${happened}${detail ? `: ${detail}` : ''}`, 'service_api_failed');
  }
  try {
    return JSON.parse(answer.body);
  } catch {
    throw new UserError(`${what} answered HTTP ${answer.status} with a body that is not JSON (${answer.body.length} bytes, starting ${redactText(JSON.stringify(answer.body.slice(0, 40)))})`, 'service_api_garbage');
  }
}

/** The `error` (or `message`) of a JSON error body, cut to one short line and redacted; nothing for any other body. */
export function errorText(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    const text = typeof parsed?.error === 'string' ? parsed.error : typeof parsed?.message === 'string' ? parsed.message : undefined;
    return text ? redactText(text.replace(/\s+/g, ' ').slice(0, 200)) : undefined;
  } catch {
    return undefined;
  }
}
