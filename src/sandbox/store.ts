import { randomUUID } from 'node:crypto';
import { canonical, clone, rfc3339 } from './json.js';
import { apiVersionOf, type ResourceType } from './resources.js';
import { alreadyExists, conflict, notFound } from './status.js';
import type { KObject } from './types.js';

export type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: WatchType;
  resource: ResourceType;
  object: KObject;
  resourceVersion: number;
}

/** How many changes a watch can resume from before it must relist (410 Gone). */
const HISTORY = 5000;

/**
 * Every object the sandbox holds, with one resourceVersion counter across all of
 * them, as etcd gives the real API server. Reads and writes copy, so a caller
 * can never change stored state behind the store's back.
 */
export class Store {
  private rv = 0;
  private readonly data = new Map<ResourceType, Map<string, KObject>>();
  private readonly history: StoreEvent[] = [];
  private readonly listeners = new Set<(event: StoreEvent) => void>();

  get resourceVersion(): string {
    return String(this.rv);
  }

  get(r: ResourceType, namespace: string | undefined, name: string): KObject | undefined {
    const found = this.bucket(r).get(keyOf(namespace, name));
    return found ? clone(found) : undefined;
  }

  mustGet(r: ResourceType, namespace: string | undefined, name: string): KObject {
    const found = this.get(r, namespace, name);
    if (!found) throw notFound(r, name);
    return found;
  }

  list(r: ResourceType, namespace?: string): KObject[] {
    const items = [...this.bucket(r).values()].filter((o) => !namespace || o.metadata.namespace === namespace);
    items.sort((a, b) => keyOf(a.metadata.namespace, a.metadata.name).localeCompare(keyOf(b.metadata.namespace, b.metadata.name)));
    return items.map(clone);
  }

  create(r: ResourceType, input: KObject, at: Date = new Date()): KObject {
    const key = keyOf(input.metadata.namespace, input.metadata.name);
    if (this.bucket(r).has(key)) throw alreadyExists(r, input.metadata.name);
    const obj = clone(input);
    obj.apiVersion = apiVersionOf(r);
    obj.kind = r.kind;
    obj.metadata.uid = randomUUID();
    obj.metadata.creationTimestamp = obj.metadata.creationTimestamp || rfc3339(at);
    if (r.hasGeneration) obj.metadata.generation = 1;
    return this.commit(r, key, obj, 'ADDED');
  }

  /**
   * Replaces a stored object. A resourceVersion in the input must match the
   * stored one (optimistic concurrency); an empty one writes unconditionally.
   */
  update(r: ResourceType, input: KObject): KObject {
    const key = keyOf(input.metadata.namespace, input.metadata.name);
    const current = this.bucket(r).get(key);
    if (!current) throw notFound(r, input.metadata.name);
    if (input.metadata.resourceVersion && input.metadata.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(r, input.metadata.name);
    }
    const obj = clone(input);
    obj.apiVersion = current.apiVersion;
    obj.kind = current.kind;
    obj.metadata.uid = current.metadata.uid;
    obj.metadata.creationTimestamp = current.metadata.creationTimestamp;
    if (r.hasGeneration) {
      const changed = canonical(obj.spec) !== canonical(current.spec);
      obj.metadata.generation = (current.metadata.generation ?? 1) + (changed ? 1 : 0);
    }
    // A write that changes nothing keeps the resourceVersion, as the API server does.
    const probe = { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } };
    if (canonical(probe) === canonical(current)) return clone(current);
    return this.commit(r, key, obj, 'MODIFIED');
  }

  delete(r: ResourceType, namespace: string | undefined, name: string): KObject {
    const key = keyOf(namespace, name);
    const current = this.bucket(r).get(key);
    if (!current) throw notFound(r, name);
    this.bucket(r).delete(key);
    const gone = clone(current);
    this.rv += 1;
    gone.metadata.resourceVersion = String(this.rv);
    this.publish({ type: 'DELETED', resource: r, object: gone, resourceVersion: this.rv });
    return clone(gone);
  }

  subscribe(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes after `rv`, or undefined when they are no longer kept. */
  changesSince(rv: number): StoreEvent[] | undefined {
    if (rv >= this.rv) return [];
    const oldest = this.history[0]?.resourceVersion ?? this.rv + 1;
    if (rv + 1 < oldest) return undefined;
    return this.history.filter((e) => e.resourceVersion > rv);
  }

  private commit(r: ResourceType, key: string, obj: KObject, type: WatchType): KObject {
    this.rv += 1;
    obj.metadata.resourceVersion = String(this.rv);
    this.bucket(r).set(key, obj);
    this.publish({ type, resource: r, object: clone(obj), resourceVersion: this.rv });
    return clone(obj);
  }

  private publish(event: StoreEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY) this.history.splice(0, this.history.length - HISTORY);
    for (const listener of this.listeners) listener(event);
  }

  private bucket(r: ResourceType): Map<string, KObject> {
    let b = this.data.get(r);
    if (!b) {
      b = new Map();
      this.data.set(r, b);
    }
    return b;
  }
}

function keyOf(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}
