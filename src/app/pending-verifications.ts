import type { VerificationQueue } from '../verification/index.js';

export interface PendingVerification {
  service: string;
  env: string;
  remainingMs: number;
}

/** The verifications still waiting, due or running, one per mitigation, with the time left in each window. */
export async function pendingVerifications(queue: VerificationQueue, now: number): Promise<PendingVerification[]> {
  const jobs = await queue.queue.getJobs(['waiting', 'delayed', 'active', 'prioritized']);
  const byId = new Map<string, PendingVerification>();
  for (const job of jobs) {
    const data = job?.data;
    if (!data) continue;
    byId.set(data.id, { service: data.service, env: data.env, remainingMs: Math.max(0, data.startedAt + data.windowMs - now) });
  }
  return [...byId.values()];
}

/** "verifying maestro-orchestrator for 10m; Ctrl-C to stop waiting — the verification record stays pending". */
export function waitingLine(pending: PendingVerification[]): string {
  const what = pending.map((p) => `${p.service} (${p.env})`).join(', ');
  const longest = Math.max(...pending.map((p) => p.remainingMs));
  return `verifying ${what} for ${roughly(longest)}; Ctrl-C to stop waiting — the verification record stays pending`;
}

function roughly(ms: number): string {
  if (ms >= 60_000) return `${Math.ceil(ms / 60_000)}m`;
  return `${Math.max(1, Math.ceil(ms / 1000))}s`;
}
