import { apiVersionOf, RESOURCES, verbsOf } from './resources.js';

/** The API groups beside the core one; metrics.k8s.io only while the sandbox plays a metrics-server. */
function groupsOf(metricsServer: boolean): { name: string; version: string }[] {
  return [
    { name: 'apps', version: 'v1' },
    { name: 'autoscaling', version: 'v2' },
    ...(metricsServer ? [{ name: 'metrics.k8s.io', version: 'v1beta1' }] : []),
  ];
}

/** Legacy (unaggregated) discovery documents: what kubectl and client-go read to map kinds to paths. */
export function discovery(path: string, serverAddress: string, metricsServer = true): unknown | undefined {
  const groups = groupsOf(metricsServer);
  for (const g of groups) {
    if (path === `/apis/${g.name}`) return { kind: 'APIGroup', apiVersion: 'v1', ...groupDoc(g) };
    if (path === `/apis/${g.name}/${g.version}`) return resourceList(g.name, g.version);
  }
  switch (path) {
    case '/version':
      return {
        major: '1',
        minor: '32',
        gitVersion: 'v1.32.0-maestro-sandbox',
        gitCommit: '0000000000000000000000000000000000000000',
        gitTreeState: 'clean',
        buildDate: '2025-01-01T00:00:00Z',
        goVersion: 'go1.23.4',
        compiler: 'gc',
        platform: 'linux/amd64',
      };
    case '/api':
      return {
        kind: 'APIVersions',
        versions: ['v1'],
        serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
      };
    case '/apis':
      return { kind: 'APIGroupList', apiVersion: 'v1', groups: groups.map(groupDoc) };
    case '/api/v1':
      return resourceList('', 'v1');
    default:
      return undefined;
  }
}

function groupDoc(g: { name: string; version: string }) {
  const version = { groupVersion: `${g.name}/${g.version}`, version: g.version };
  return { name: g.name, versions: [version], preferredVersion: version };
}

function resourceList(group: string, version: string) {
  const resources = RESOURCES.filter((r) => r.group === group && r.version === version).flatMap((r) => {
    const main = {
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: verbsOf(r),
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      ...(r.categories.length ? { categories: r.categories } : {}),
    };
    const subs = r.subresources.map((sub) => {
      if (sub === 'scale') {
        return { name: `${r.plural}/scale`, singularName: '', namespaced: r.namespaced, group: 'autoscaling', version: 'v1', kind: 'Scale', verbs: ['get', 'patch', 'update'] };
      }
      if (sub === 'log') return { name: `${r.plural}/log`, singularName: '', namespaced: true, kind: 'Pod', verbs: ['get'] };
      return { name: `${r.plural}/${sub}`, singularName: '', namespaced: r.namespaced, kind: r.kind, verbs: ['get', 'patch', 'update'] };
    });
    return [main, ...subs];
  });
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

export const groupVersionOf = apiVersionOf;
