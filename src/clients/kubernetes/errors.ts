import { ApiException } from '@kubernetes/client-node';
import { UserError } from '../../core/errors.js';

/** What a call was trying to do, for error messages an operator can act on. */
export interface CallSite {
  verb: 'get' | 'list' | 'patch' | 'delete';
  /** Plural resource as RBAC names it: deployments, deployments/scale, pods/log, ... */
  resource: string;
  namespace: string;
  name?: string;
}

/** A 409 from the API server: someone else changed the object; read it again and retry. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}

/** Anything else the API server refused; details for the log, never for the chat. */
export class KubernetesApiError extends Error {
  override readonly name = 'KubernetesApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

function kindOf(resource: string): string {
  const base = resource.split('/')[0]!;
  const singular: Record<string, string> = {
    deployments: 'deployment',
    replicasets: 'replicaset',
    pods: 'pod',
    configmaps: 'configmap',
    events: 'event',
    horizontalpodautoscalers: 'horizontalpodautoscaler',
  };
  return singular[base] ?? base;
}

function statusMessage(body: unknown): string | undefined {
  if (typeof body === 'string') {
    try {
      return statusMessage(JSON.parse(body));
    } catch {
      return body.slice(0, 200);
    }
  }
  if (body && typeof body === 'object' && 'message' in body && typeof body.message === 'string') return body.message;
  return undefined;
}

/** Turns the API server's refusals into errors that say what to do; 409 stays retryable. */
export function translate(error: unknown, site: CallSite): Error {
  if (!(error instanceof ApiException)) return error instanceof Error ? error : new Error(String(error));
  const code = error.code;
  if (code === 403) {
    return new UserError(
      `the bot's service account may not ${site.verb} ${site.resource} in ${site.namespace}: grant it in manifests/k8s/base/rbac.yaml (scripts/k8s-rbac.ts)`,
      'kubernetes_forbidden',
    );
  }
  if (code === 404) {
    const what = site.name ? `${kindOf(site.resource)} ${site.name}` : site.resource;
    return new UserError(`${what} not found in ${site.namespace}`, 'kubernetes_not_found');
  }
  if (code === 409) return new ConflictError(statusMessage(error.body) ?? 'conflict');
  if (code === 401) {
    return new UserError('the Kubernetes API rejected the bot\'s credentials (401): check its kubeconfig or service account token', 'kubernetes_unauthorized');
  }
  const detail = statusMessage(error.body);
  return new KubernetesApiError(
    `${site.verb} ${site.resource}${site.name ? ` ${site.name}` : ''} in ${site.namespace} failed with HTTP ${code}${detail ? `: ${detail}` : ''}`,
    code,
  );
}

export async function call<T>(site: CallSite, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw translate(error, site);
  }
}
