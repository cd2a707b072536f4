import { describe, expect, it } from 'vitest';
import { undoPatch } from '../../src/verbs/rollback/undo-patch.js';

describe('undoPatch (kubectl rollout undo)', () => {
  const template = { metadata: { labels: { app: 'm', 'pod-template-hash': 'abc' } }, spec: { containers: [] } };
  const patch = undoPatch(
    { 'deployment.kubernetes.io/revision': '7', 'meta.helm.sh/release-name': 'maestro', 'kubernetes.io/change-cause': 'v2.8.0' },
    { 'deployment.kubernetes.io/revision': '6', 'kubernetes.io/change-cause': 'v2.7.3', team: 'sre' },
    template,
    'maestro-bot rollback by alice',
  );

  it('replaces the template without pod-template-hash', () => {
    expect(patch[0]).toEqual({ op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'm' } }, spec: { containers: [] } } });
  });

  it("keeps the deployment's own annotations, takes the ReplicaSet's others and sets the change cause", () => {
    expect(patch[1]).toEqual({
      op: 'replace',
      path: '/metadata/annotations',
      value: {
        'deployment.kubernetes.io/revision': '7',
        'meta.helm.sh/release-name': 'maestro',
        team: 'sre',
        'kubernetes.io/change-cause': 'maestro-bot rollback by alice',
      },
    });
  });
});
