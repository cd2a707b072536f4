import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { history } from '../../src/verbs/history/history.js';
import { exportMarkdown, incidentExport } from '../../src/verbs/incident-export/incident-export.js';
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
      revision: { from: '7', restored: '6', resulting: '8' },
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

async function recordedFailure() {
  const store = new EvidenceStore(redis, prefix, new MemoryAudit());
  await store.record(
    {
      service: 'maestro-orchestrator',
      env: 'prod',
      via: 'kubernetes',
      actor: 'ada',
      reason: 'v2.8.0 error spike',
      revision: { from: '7', restored: '6' },
      image: { from: 'ghcr.io/intelgraph/maestro-orchestrator:v2.8.0', to: 'ghcr.io/intelgraph/maestro-orchestrator:v2.7.3' },
      jobNumber: 5,
      at: '2025-05-01T11:00:00.000Z',
      failure: 'The rollback of maestro-orchestrator in prod failed: pods are CrashLoopBackOff',
    },
    { actor: ada, requestId: 'r2' },
  );
  const base = actionContext(seededCluster());
  return { store, ctx: { ...base, ports: { ...base.ports, evidence: store } } };
}

describe('rollback evidence', () => {
  it('history --evidence lists each rollback: from → resulting revision (restored template), who, why and the verdict', async () => {
    const { ctx } = await recorded();
    const message = (await history.execute(ctx, { service: 'maestro-orchestrator', evidence: true }, async () => {})).message;
    const [row] = message.table!.rows;
    // TIME, ENV, VIA, REVISION, IMAGE, WHO, VERDICT, WHY, DETAIL
    expect(row!.slice(3, 8)).toEqual(['7 → 8 (template 6)', 'v2.8.0 → v2.7.3', 'ada', 'pass', 'v2.8.0 error spike']);
  });

  it('incident export prints the evidence as a Markdown table with the follow-up checklist', async () => {
    const { ctx } = await recorded();
    const message = (await incidentExport.execute(ctx, { service: 'maestro-orchestrator' }, async () => {})).message;
    expect(message.code).toContain('| Time (UTC) | Env | Via | Revision (from → resulting) | Image tag | Change cause | Who | Why | Outcome |');
    // The change causes are the deployment's revisions' (kubernetes.io/change-cause), read from the cluster;
    // this cluster never ran the rollback, so revision 8 is unknown and the restored 6's cause stands for it.
    expect(message.code).toContain(
      '| 2025-05-01T10:00:00.000Z | prod | Kubernetes | 7 → 8 (the template of revision 6) | v2.8.0 → v2.7.3 | deploy revision 7 → deploy revision 6 | ada | v2.8.0 error spike | pass (held for 10m) |',
    );
    expect(message.code).toContain('- [ ] Offending release: `v2.8.0` (deploy revision 7); commit SHA: `<sha>`');
  });

  it('history --evidence shows a failed rollback as failed, with the reason it failed', async () => {
    const { ctx } = await recordedFailure();
    const message = (await history.execute(ctx, { service: 'maestro-orchestrator', evidence: true }, async () => {})).message;
    expect(message.text).toMatch(/^1 rollback recorded \(1 failed\)/);
    const [row] = message.table!.rows;
    expect([row![3], ...row!.slice(5)]).toEqual(['7 → ? (template 6)', 'ada', 'failed', 'v2.8.0 error spike', 'The rollback of maestro-orchestrator in prod failed: pods are CrashLoopBackOff']);
  });

  it('incident export gives a failed rollback the outcome failed, with the reason it failed', async () => {
    const { ctx } = await recordedFailure();
    const message = (await incidentExport.execute(ctx, { service: 'maestro-orchestrator' }, async () => {})).message;
    expect(message.code).toContain(
      '| 7 → ? (the template of revision 6) | v2.8.0 → v2.7.3 | deploy revision 7 → deploy revision 6 | ada | v2.8.0 error spike | failed (The rollback of maestro-orchestrator in prod failed: pods are CrashLoopBackOff) |',
    );
  });

  it('reads a record written before the resulting revision was kept as restored revision, resulting unknown', async () => {
    const store = new EvidenceStore(redis, prefix, new MemoryAudit());
    const legacy = { id: 'ev-old', service: 'svc', env: 'prod', via: 'kubernetes', at: 't', actor: 'a', revision: { from: '7', to: '6' }, verdict: 'pass' };
    await redis.set(`${prefix}:evidence:record:ev-old`, JSON.stringify(legacy));
    await redis.lpush(`${prefix}:evidence:svc`, 'ev-old');
    const [record] = await store.list('svc');
    expect(record?.revision).toEqual({ from: '7', restored: '6' });
  });

  it('escapes pipes so a reason cannot break the table', () => {
    const md = exportMarkdown('svc', [{ id: 'e', service: 'svc', env: 'prod', via: 'kubernetes', at: 't', actor: 'a', reason: 'a|b', verdict: 'pending' }], { fired: [], causes: new Map() });
    expect(md).toContain('a\\|b');
  });
});
