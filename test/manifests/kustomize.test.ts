import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  spec?: any;
  data?: Record<string, string>;
  subjects?: { name: string }[];
  roleRef?: { name: string };
}

const OVERLAYS = ['base', 'overlays/single', 'overlays/ha'] as const;
const rendered = new Map<string, K8sObject[]>();

/** kubectl 1.32 ships kustomize v5, which has `labels`, `replicas` and `--load-restrictor`; older ones render this differently. */
function kubectlVersion(): { kubectl: string; kustomize: string } {
  const run = spawnSync('kubectl', ['version', '--client', '-o', 'json'], { encoding: 'utf8' });
  expect(run.error, 'kubectl not found: apt-get install kubernetes-client').toBeUndefined();
  const version = JSON.parse(run.stdout) as { clientVersion: { gitVersion: string }; kustomizeVersion?: string };
  return { kubectl: version.clientVersion.gitVersion, kustomize: version.kustomizeVersion ?? 'none' };
}

function render(dir: string): K8sObject[] {
  const run = spawnSync('kubectl', ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', `manifests/k8s/${dir}`], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return parseAllDocuments(run.stdout).map((d) => d.toJS() as K8sObject);
}

/** kubernetes-models' schema for an object's apiVersion and kind (`apps/v1` Deployment → kubernetes-models/apps/v1/Deployment). */
async function validate(object: K8sObject): Promise<void> {
  const module = (await import(`kubernetes-models/${object.apiVersion}/${object.kind}`)) as Record<string, new (o: object) => { validate(): void }>;
  new module[object.kind]!(object).validate();
}

beforeAll(() => {
  const { kubectl, kustomize } = kubectlVersion();
  const [, major, minor] = /^v(\d+)\.(\d+)/.exec(kubectl) ?? [];
  if (Number(major) < 1 || Number(minor) < 32 || !/^v5\./.test(kustomize)) {
    throw new Error(`kubectl ${kubectl} with kustomize ${kustomize} is too old: these manifests need kubectl 1.32+ (kustomize v5); install Debian's kubernetes-client 1.32`);
  }
  for (const dir of OVERLAYS) rendered.set(dir, render(dir));
});

const byKind = (dir: string, kind: string) => rendered.get(dir)!.filter((o) => o.kind === kind);
const deployment = (dir: string, role: 'web' | 'worker') => rendered.get(dir)!.find((o) => o.kind === 'Deployment' && o.metadata.name === `maestro-bot-${role}`)!;

describe('the kustomize base and overlays in manifests/k8s', () => {
  it('render with kubectl kustomize and every object passes the Kubernetes schemas', async () => {
    for (const dir of OVERLAYS) {
      for (const object of rendered.get(dir)!) await expect(validate(object), `${dir}: ${object.kind}/${object.metadata.name}`).resolves.toBeUndefined();
    }
  });

  it('generate the catalog ConfigMap from config/catalog.yaml itself, and mount that one', () => {
    const [configMap] = byKind('base', 'ConfigMap');
    expect(configMap!.data!['catalog.yaml']).toBe(readFileSync('config/catalog.yaml', 'utf8'));
    for (const role of ['web', 'worker'] as const) {
      const volumes = deployment('base', role).spec.template.spec.volumes as { configMap?: { name: string } }[];
      expect(volumes.some((v) => v.configMap?.name === configMap!.metadata.name)).toBe(true);
    }
  });

  it('pin the image to the package version, never :latest', () => {
    const { version } = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    for (const role of ['web', 'worker'] as const) {
      expect(deployment('base', role).spec.template.spec.containers[0].image).toBe(`ghcr.io/intelgraph/maestro-bot:${version}`);
    }
  });

  it('run web and worker under their own service accounts, and bind the write Roles to the worker alone', () => {
    expect(deployment('base', 'web').spec.template.spec.serviceAccountName).toBe('maestro-bot-web');
    expect(deployment('base', 'worker').spec.template.spec.serviceAccountName).toBe('maestro-bot-worker');
    const writers = byKind('base', 'RoleBinding').filter((b) => b.roleRef!.name === 'maestro-bot-write');
    expect(writers.length).toBeGreaterThan(0);
    for (const binding of writers) expect(binding.subjects!.map((s) => s.name)).toEqual(['maestro-bot-worker']);
  });

  it('give both roles a startupProbe, and probe the worker on HEALTH_PORT', () => {
    for (const role of ['web', 'worker'] as const) expect(deployment('base', role).spec.template.spec.containers[0].startupProbe).toBeDefined();
    const worker = deployment('base', 'worker').spec.template.spec.containers[0];
    expect(worker.env).toContainEqual({ name: 'HEALTH_PORT', value: '3001' });
    expect(worker.ports).toEqual([{ name: 'health', containerPort: 3001 }]);
    expect(worker.readinessProbe.httpGet.port).toBe('health');
  });

  it('have a PodDisruptionBudget and a NetworkPolicy for each role', () => {
    for (const kind of ['PodDisruptionBudget', 'NetworkPolicy']) {
      expect(byKind('base', kind).map((o) => o.metadata.name).sort()).toEqual(['maestro-bot-web', 'maestro-bot-worker']);
    }
  });

  it('run one of each role in the single overlay and three, spread over nodes, in the HA one', () => {
    for (const role of ['web', 'worker'] as const) {
      expect(deployment('overlays/single', role).spec.replicas).toBe(1);
      expect(deployment('overlays/ha', role).spec.replicas).toBe(3);
      expect(deployment('overlays/ha', role).spec.template.spec.topologySpreadConstraints[0].topologyKey).toBe('kubernetes.io/hostname');
    }
  });
});

describe('the Secret template', () => {
  it('lists every secret variable of .env.example, and nothing .env.example does not have', () => {
    const example = readFileSync('.env.example', 'utf8');
    const variables = [...example.matchAll(/^([A-Za-z_]+)=/gm)].map((m) => m[1]!);
    const secret = variables.filter((v) => /TOKEN|SECRET|PASSWORD|KEY/.test(v));
    const template = parse(readFileSync('manifests/k8s/base/secret.template.yaml', 'utf8')) as { stringData: Record<string, string> };
    const listed = Object.keys(template.stringData);
    for (const name of secret) expect(listed, name).toContain(name);
    for (const name of listed) expect(variables, name).toContain(name);
  });
});
