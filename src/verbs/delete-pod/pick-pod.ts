import { UserError } from '../../core/errors.js';
import type { EventInfo, PodDetail } from '../shared/kubernetes-ports.js';
import type { Target } from '../shared/target.js';
import { drainOrder, type PodRow, podRow, podSummary } from '../pods/pod-rows.js';

export interface PickedPod {
  row: PodRow;
  uid: string;
  /** Why this one, for the plan: "not Ready, 4 restarts" or "named with --pod". */
  why: string;
}

function names(rows: readonly PodRow[]): string {
  return rows.map((r) => r.name).join(', ') || 'none';
}

/**
 * The pod `delete-pod` drains: the one named with --pod, which must be the service's own,
 * or else the most stuck one (not Ready first, then the most restarts). A service whose
 * pods are all Ready and have never restarted has no stuck pod: the operator names one.
 */
export function pickPod(target: Target, mine: readonly PodDetail[], all: readonly PodDetail[], events: readonly EventInfo[], wanted?: string): PickedPod {
  const live = mine.filter((p) => !p.terminating);
  const rows = live.map((p) => podRow(p, events));
  const uidOf = (name: string) => live.find((p) => p.name === name)!.uid;
  if (wanted !== undefined) {
    const row = rows.find((r) => r.name === wanted);
    if (row) return { row, uid: uidOf(wanted), why: `named with --pod (${podSummary(row)})` };
    if (mine.some((p) => p.name === wanted)) {
      throw new UserError(`pod ${wanted} is already being deleted; its replacement is on the way (see: pods ${target.service})`, 'pod_terminating');
    }
    if (all.some((p) => p.name === wanted)) {
      throw new UserError(
        `pod ${wanted} in ${target.ref.namespace} is not one of ${target.service}'s pods (${target.envSpec.selector}); refusing to delete another service's pod`,
        'pod_of_other_service',
      );
    }
    throw new UserError(`no pod ${wanted} in ${target.ref.namespace}; ${target.service}'s pods: ${names(rows)}`, 'unknown_pod');
  }
  const stuck = [...rows].sort(drainOrder)[0];
  if (!stuck) throw new UserError(`${target.service} has no running pods in ${target.ref.namespace} to delete`, 'no_pods');
  if (stuck.ready && stuck.restarts === 0) {
    throw new UserError(
      `all ${rows.length} pods of ${target.service} are Ready and have never restarted: name the one to delete with --pod (pods: ${names(rows)})`,
      'no_stuck_pod',
    );
  }
  const why = stuck.ready ? `the most restarts (${podSummary(stuck)})` : `not Ready (${podSummary(stuck)})`;
  return { row: stuck, uid: uidOf(stuck.name), why };
}
