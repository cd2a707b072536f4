import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import type { KubernetesPort, KubernetesPorts } from '../support/kubernetes-verbs.js';
import { loadCatalog } from '../../src/config/catalog.js';
import type { ActionContext, ProgressReporter } from '../../src/core/action.js';
import type { Progress } from '../../src/core/message.js';

export const catalog = loadCatalog(fileURLToPath(new URL('../../config/catalog.yaml', import.meta.url)));

export function actionContext(
  kubernetes: KubernetesPort,
  options: { env?: string; signal?: AbortSignal; reason?: string; followTimeoutMs?: number } = {},
): ActionContext<KubernetesPorts> {
  return {
    requestId: 'req-1',
    actor: { id: 'U1', name: 'alice', platform: 'slack' },
    conversation: { platform: 'slack', id: 'C1', name: '#maestro-pager' },
    env: options.env ?? 'prod',
    reason: options.reason,
    catalog,
    log: pino({ level: 'silent' }),
    signal: options.signal ?? new AbortController().signal,
    ports: { kubernetes, followPollMs: 5, followTimeoutMs: options.followTimeoutMs ?? 5_000 },
  };
}

export function recorder(): { progress: ProgressReporter; seen: Progress[] } {
  const seen: Progress[] = [];
  return {
    seen,
    progress: async (p) => {
      seen.push(p);
    },
  };
}
