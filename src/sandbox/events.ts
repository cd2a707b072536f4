import { randomBytes } from 'node:crypto';
import { rfc3339 } from './json.js';
import { EVENTS } from './resources.js';
import type { Store } from './store.js';
import type { KEvent, KObject } from './types.js';

/** Events kept per namespace; older ones are dropped, as the real TTL would. */
const PER_NAMESPACE = 400;

/**
 * Records core/v1 Events the way client-go's recorder does: a repeat of the same
 * reason and message on the same object bumps `count` instead of adding a row.
 */
export class EventRecorder {
  constructor(private readonly store: Store) {}

  normal(obj: KObject, reason: string, message: string, component: string): void {
    this.record(obj, 'Normal', reason, message, component);
  }

  warning(obj: KObject, reason: string, message: string, component: string): void {
    this.record(obj, 'Warning', reason, message, component);
  }

  private record(obj: KObject, type: KEvent['type'], reason: string, message: string, component: string): void {
    const namespace = obj.metadata.namespace ?? 'default';
    const now = rfc3339();
    const events = this.store.list(EVENTS, namespace) as KEvent[];
    const same = events.find(
      (e) => e.involvedObject.uid === obj.metadata.uid && e.reason === reason && e.message === message,
    );
    if (same) {
      same.count += 1;
      same.lastTimestamp = now;
      this.store.update(EVENTS, same);
      return;
    }
    const event: KEvent = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: {
        name: `${obj.metadata.name}.${randomBytes(8).toString('hex')}`,
        namespace,
        uid: '',
        resourceVersion: '',
        creationTimestamp: now,
      },
      involvedObject: {
        kind: obj.kind,
        namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: obj.metadata.resourceVersion,
      },
      reason,
      message,
      type,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
      source: { component },
      reportingComponent: component,
      reportingInstance: '',
    };
    this.store.create(EVENTS, event);
    if (events.length + 1 > PER_NAMESPACE) {
      const oldest = [...events].sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
      for (const e of oldest.slice(0, events.length + 1 - PER_NAMESPACE)) this.store.delete(EVENTS, namespace, e.metadata.name);
    }
  }
}
