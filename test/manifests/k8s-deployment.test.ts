import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';

interface Container {
  securityContext?: { readOnlyRootFilesystem?: boolean };
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Deployment {
  kind: string;
  metadata: { name: string };
  spec: { template: { spec: { containers: Container[]; volumes?: { name: string; emptyDir?: object }[] } } };
}

const deployments = parseAllDocuments(readFileSync('manifests/k8s/base/web.yaml', 'utf8')).map((d) => d.toJS() as Deployment);

describe('manifests/k8s/base/web.yaml', () => {
  it('gives the web role, whose root filesystem is read-only, a writable /tmp for the HTTP edge socket', () => {
    const web = deployments.find((d) => d.metadata.name === 'maestro-bot-web')!;
    const pod = web.spec.template.spec;
    const [container] = pod.containers;
    expect(container!.securityContext?.readOnlyRootFilesystem).toBe(true);
    const tmp = container!.volumeMounts?.find((m) => m.mountPath === '/tmp');
    expect(tmp?.readOnly).not.toBe(true);
    expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toBeDefined();
  });
});
