import { apiVersionOf, RESOURCES, verbsOf } from './resources.js';

/** Legacy (unaggregated) discovery documents: what kubectl and client-go read to map kinds to paths. */
export function discovery(path: string, serverAddress: string): unknown | undefined {
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
      return { kind: 'APIGroupList', apiVersion: 'v1', groups: [appsGroup()] };
    case '/apis/apps':
      return { kind: 'APIGroup', apiVersion: 'v1', ...appsGroup() };
    case '/api/v1':
      return resourceList('');
    case '/apis/apps/v1':
      return resourceList('apps');
    default:
      return undefined;
  }
}

function appsGroup() {
  const version = { groupVersion: 'apps/v1', version: 'v1' };
  return { name: 'apps', versions: [version], preferredVersion: version };
}

function resourceList(group: string) {
  const resources = RESOURCES.filter((r) => r.group === group).flatMap((r) => {
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
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/v1` : 'v1', resources };
}

export const groupVersionOf = apiVersionOf;
