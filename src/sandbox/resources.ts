/** The resource types the sandbox serves: one table drives discovery, routing and error messages. */

export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  subresources: string[];
  /** Whether spec changes bump metadata.generation. */
  hasGeneration: boolean;
  /** Served by an aggregated API that only answers get and list (metrics.k8s.io). */
  readOnly?: boolean;
}

const VERBS = ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'];

export const RESOURCES: readonly ResourceType[] = [
  res('', 'namespaces', 'Namespace', false, ['ns'], [], ['status']),
  res('', 'pods', 'Pod', true, ['po'], ['all'], ['log', 'status']),
  res('', 'configmaps', 'ConfigMap', true, ['cm'], [], []),
  res('', 'events', 'Event', true, ['ev'], [], []),
  { ...res('apps', 'deployments', 'Deployment', true, ['deploy'], ['all'], ['scale', 'status']), hasGeneration: true },
  { ...res('apps', 'replicasets', 'ReplicaSet', true, ['rs'], ['all'], ['scale', 'status']), hasGeneration: true },
  { ...res('autoscaling', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', true, ['hpa'], ['all'], ['status']), version: 'v2', hasGeneration: true },
  // What metrics-server serves: computed from the pods on every read, never stored (pod-usage.ts).
  { ...res('metrics.k8s.io', 'pods', 'PodMetrics', true, [], [], []), version: 'v1beta1', readOnly: true },
];

function res(
  group: string,
  plural: string,
  kind: string,
  namespaced: boolean,
  shortNames: string[],
  categories: string[],
  subresources: string[],
): ResourceType {
  return {
    group,
    version: 'v1',
    plural,
    singular: kind.toLowerCase(),
    kind,
    namespaced,
    shortNames,
    categories,
    subresources,
    hasGeneration: false,
  };
}

export const verbsOf = (r: ResourceType): string[] => (r.readOnly ? ['get', 'list'] : VERBS);

export function apiVersionOf(r: ResourceType): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** `deployments.apps`, the name the API server uses in its error messages. */
export function qualifiedName(r: ResourceType): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

export function resourceByKind(kind: string): ResourceType {
  const found = RESOURCES.find((r) => r.kind === kind);
  if (!found) throw new Error(`no sandbox resource of kind ${kind}`);
  return found;
}

export const NAMESPACES = resourceByKind('Namespace');
export const PODS = resourceByKind('Pod');
export const CONFIGMAPS = resourceByKind('ConfigMap');
export const EVENTS = resourceByKind('Event');
export const DEPLOYMENTS = resourceByKind('Deployment');
export const REPLICASETS = resourceByKind('ReplicaSet');
export const AUTOSCALERS = resourceByKind('HorizontalPodAutoscaler');
export const POD_METRICS = resourceByKind('PodMetrics');
