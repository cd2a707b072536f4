import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { kubernetesFromConfig } from '../../src/clients/kubernetes/client.js';
import { loadCatalog } from '../../src/config/catalog.js';
import { type AccessRequest, type Sandbox, startSandbox } from '../../src/sandbox/index.js';
import { RBAC_FILE, rbacYaml } from '../../scripts/k8s-rbac.js';

interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}
interface Doc {
  kind: string;
  metadata: { name: string; namespace: string };
  rules?: Rule[];
  roleRef?: { name: string };
  subjects?: { name: string }[];
}

const catalog = loadCatalog('config/catalog.yaml');
const docs = parseAllDocuments(readFileSync(RBAC_FILE, 'utf8')).map((d) => d.toJS() as Doc).filter(Boolean);
let sandbox: Sandbox;
let reads: AccessRequest[];
let all: AccessRequest[];

/** What a service account may do: one "verb resource namespace name" per grant, `*` for any name. */
function grantsOf(account: string): Set<string> {
  const out = new Set<string>();
  for (const binding of docs.filter((d) => d.kind === 'RoleBinding' && d.subjects?.some((s) => s.name === account))) {
    const role = docs.find((d) => d.kind === 'Role' && d.metadata.name === binding.roleRef!.name && d.metadata.namespace === binding.metadata.namespace)!;
    for (const rule of role.rules!) {
      for (const verb of rule.verbs) {
        for (const resource of rule.resources) {
          for (const name of rule.resourceNames ?? ['*']) out.add(`${verb} ${resource} ${role.metadata.namespace} ${name}`);
        }
      }
    }
  }
  return out;
}

function allowed(grants: Set<string>, r: AccessRequest): boolean {
  return grants.has(`${r.verb} ${r.resource} ${r.namespace} ${r.name}`) || grants.has(`${r.verb} ${r.resource} ${r.namespace} *`);
}

/** Grants no served request used: a Role holding more than the bot calls. */
function unused(grants: Set<string>, served: AccessRequest[]): string[] {
  return [...grants].filter((g) => {
    const [verb, resource, namespace, name] = g.split(' ');
    return !served.some((r) => r.verb === verb && r.resource === resource && r.namespace === namespace && (name === '*' || r.name === name));
  });
}

beforeAll(async () => {
  // A slow controller: only the API calls matter here, not the rollouts they start.
  sandbox = await startSandbox({ catalog, rolloutIntervalMs: 60_000 });
  const k8s = kubernetesFromConfig(sandbox.kubeConfig());
  const envs = Object.values(catalog.services).flatMap((s) => Object.values(s.envs));
  // Every read the bot's actions make (status, history, logs, events, and every plan), in every catalog environment.
  for (const env of envs) {
    const ref = { namespace: env.namespace, deployment: env.deployment };
    const state = await k8s.readDeployment(ref);
    await k8s.listRevisions(ref);
    await k8s.readScale(ref);
    const pods = await k8s.listPods(env.namespace, env.selector);
    await k8s.podLogs(env.namespace, pods[0]!.name, { tailLines: 10 });
    await k8s.listEvents(env.namespace);
    if (env.configMap) await k8s.readConfigMap(env.namespace, env.configMap);
    // pods, hpa and the plans of hpa set, delete-pod and scale.
    await k8s.listPodDetails(env.namespace, env.selector);
    await k8s.listPodDetails(env.namespace);
    await k8s.podUsage(env.namespace, env.selector);
    await k8s.listAutoscalers(env.namespace);
    void state;
  }
  reads = sandbox.served();
  // And every write a job makes: rollback, restart, scale, flag, provider.
  for (const env of envs) {
    const ref = { namespace: env.namespace, deployment: env.deployment };
    const state = await k8s.readDeployment(ref);
    // What a rollback sends: a JSON Patch with the resourceVersion it decided on.
    await k8s.patchDeployment(ref, [], state.resourceVersion).catch(() => undefined);
    await k8s.restart(ref, new Date().toISOString());
    await k8s.scale(ref, (await k8s.readScale(ref)) + 1);
    await k8s.setContainerEnv(ref, state.containers[0]!.name, { RBAC_TEST: '1' });
    if (env.configMap) await k8s.setConfigMapKey(env.namespace, env.configMap, 'RBAC_TEST', '1');
    // hpa set (asked of a namespace without an autoscaler too: the Role cannot know which have one) and delete-pod.
    const hpa = (await k8s.listAutoscalers(env.namespace))[0]?.name ?? env.deployment;
    const read = await k8s.readAutoscaler(env.namespace, hpa).catch(() => undefined);
    await k8s.setAutoscalerBounds(env.namespace, hpa, { min: read?.min ?? 1, max: read?.max ?? 1 }, read?.resourceVersion).catch(() => undefined);
    const pod = (await k8s.listPodDetails(env.namespace, env.selector))[0]!;
    await k8s.deletePod(env.namespace, pod.name, pod.uid, 30).catch(() => undefined);
  }
  all = sandbox.served();
}, 60_000);

afterAll(async () => {
  await sandbox?.close();
});

describe('the bot’s RBAC (manifests/k8s/base/rbac.yaml)', () => {
  it('is what scripts/k8s-rbac.ts generates from the catalog', () => {
    expect(readFileSync(RBAC_FILE, 'utf8')).toBe(rbacYaml(catalog));
  });

  it('lets the web role make every read the bot makes, and nothing else', () => {
    const grants = grantsOf('maestro-bot-web');
    expect(reads.filter((r) => !allowed(grants, r))).toEqual([]);
    expect(unused(grants, reads)).toEqual([]);
  });

  it('lets the worker make every read and write the bot makes, and nothing else', () => {
    const grants = grantsOf('maestro-bot-worker');
    expect(all.filter((r) => !allowed(grants, r))).toEqual([]);
    expect(unused(grants, all)).toEqual([]);
  });

  it('gives the web role no write at all', () => {
    expect([...grantsOf('maestro-bot-web')].filter((g) => !/^(get|list) /.test(g))).toEqual([]);
  });
});
