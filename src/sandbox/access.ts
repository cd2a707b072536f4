/** A verb on a resource the sandbox should refuse, as RBAC would: 403 Forbidden. */
export interface DenyRule {
  verb: string;
  /** `deployments`, or a subresource such as `deployments/scale`; `*` for any. */
  resource: string;
  namespace?: string;
  name?: string;
}

/** The next `count` writes (update or patch) of one object answer 409 Conflict. */
export interface ConflictInjection {
  resource: string;
  namespace: string;
  name: string;
  count?: number;
}

export interface AccessRequest {
  verb: string;
  resource: string;
  namespace?: string;
  name?: string;
}

/** Test seams for authorisation and concurrency; by default everything is allowed and nothing conflicts. */
export class Access {
  private readonly denials: DenyRule[] = [];
  private readonly seen = new Map<string, AccessRequest>();

  /** Remembers a request the API server was asked to serve: the RBAC test compares these with the Role. */
  record(req: AccessRequest): void {
    this.seen.set(JSON.stringify([req.verb, req.resource, req.namespace, req.name]), { ...req });
  }

  /** Every distinct (verb, resource/subresource, namespace, name) asked for so far. */
  served(): AccessRequest[] {
    return [...this.seen.values()];
  }
  private readonly conflicts = new Map<string, number>();

  deny(rule: DenyRule): void {
    this.denials.push({ ...rule });
  }

  allowAll(): void {
    this.denials.length = 0;
  }

  isDenied(req: AccessRequest): boolean {
    return this.denials.some(
      (d) =>
        (d.verb === '*' || d.verb === req.verb) &&
        (d.resource === '*' || d.resource === req.resource) &&
        (d.namespace === undefined || d.namespace === req.namespace) &&
        (d.name === undefined || d.name === req.name),
    );
  }

  injectConflicts(injection: ConflictInjection): void {
    const key = conflictKey(injection.resource, injection.namespace, injection.name);
    this.conflicts.set(key, (this.conflicts.get(key) ?? 0) + (injection.count ?? 1));
  }

  /** True (and one fewer left) when this write should be answered with a conflict. */
  takeConflict(resource: string, namespace: string | undefined, name: string): boolean {
    const key = conflictKey(resource, namespace ?? '', name);
    const left = this.conflicts.get(key) ?? 0;
    if (left <= 0) return false;
    this.conflicts.set(key, left - 1);
    return true;
  }
}

function conflictKey(resource: string, namespace: string, name: string): string {
  return `${resource.split('/')[0]}|${namespace}|${name}`;
}
