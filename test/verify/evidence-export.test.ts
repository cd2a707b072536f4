import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { history } from '../../src/actions/history.js';
import { exportMarkdown, incidentExport } from '../../src/actions/incident-export.js';
import { EvidenceStore } from '../../src/verification/evidence-store.js';
import { actionContext } from '../actions/context.js';
import { seededCluster } from '../actions/seed.js';
import { MemoryAudit } from '../jobs/harness.js';
import { cleanPrefix, testPrefix, testRedis } from '../support/redis.js';
import { ada } from './harness.js';

const redis = testRedis();
const prefix = testPrefix('evidence');
afterEach(async () => {
  await cleanPrefix(redis, prefix);
});
afterAll(async () => {
  await redis.quit();
});

async function recorded() {
  const store = new EvidenceStore(redis, prefix, new MemoryAudit());
  const record = await store.record(
    {
      service: 'maestro-orchestrator',
      env: 'prod',
      via: 'kubernetes',
      actor: 'ada',
      reason: 'v2.8.0 error spike',
      revision: { from: '7', to: '6' },
      image: { from: 'ghcr.io/intelgraph/maestro-orchestrator:v2.8.0', to: 'ghcr.io/intelgraph/maestro-orchestrator:v2.7.3' },
      jobNumber: 4,
      at: '2025-05-01T10:00:00.000Z',
    },
    { actor: ada, requestId: 'r1' },
  );
  await store.setVerdict(record.id, 'pass', 'held for 10m', { actor: ada, requestId: 'r1' });
  const base = actionContext(seededCluster());
  return { store, ctx: { ...base, ports: { ...base.ports, evidence: store } } };
}

describe('rollback evidence', () => {
  it('history --evidence lists each rollback: from → to, who, why and the verdict', async () => {
    const { ctx } = await recorded();
    const message = await history.execute(ctx, { service: 'maestro-orchestrator', evidence: true }, async () => {});
    expect(message.code).toContain('7 → 6');
    expect(message.code).toContain('v2.8.0 → v2.7.3');
    expect(message.code).toMatch(/ada\s+pass\s+v2\.8\.0 error spike/);
  });

  it('incident export prints the evidence as a Markdown table with the follow-up checklist', async () => {
    const { ctx } = await recorded();
    const message = await incidentExport.execute(ctx, { service: 'maestro-orchestrator' }, async () => {});
    expect(message.code).toContain('| Time (UTC) | Env | Via | Revision | Image tag | Who | Why | Verification |');
    expect(message.code).toContain(
      '| 2025-05-01T10:00:00.000Z | prod | Kubernetes | 7 → 6 | ghcr.io/intelgraph/maestro-orchestrator:v2.8.0 → ghcr.io/intelgraph/maestro-orchestrator:v2.7.3 | ada | v2.8.0 error spike | pass (held for 10m) |',
    );
    expect(message.code).toContain('- [ ] Offending commit SHA: `<sha>`');
    expect(message.code).toContain('`MaestroHighErrorRate`');
  });

  it('escapes pipes so a reason cannot break the table', () => {
    const md = exportMarkdown('svc', [{ id: 'e', service: 'svc', env: 'prod', via: 'kubernetes', at: 't', actor: 'a', reason: 'a|b', verdict: 'pending' }], []);
    expect(md).toContain('a\\|b');
  });
});
