import type { KubernetesPort } from '../../src/app/verbs.js';
import type { FollowOptions } from '../../src/verbs/shared/kubernetes-ports.js';
import { cacheWarm } from '../../src/verbs/cache-warm/cache-warm.js';
import { events } from '../../src/verbs/events/events.js';
import { flag } from '../../src/verbs/flag/flag.js';
import { history } from '../../src/verbs/history/history.js';
import { incidentExport } from '../../src/verbs/incident-export/incident-export.js';
import { logs } from '../../src/verbs/logs/logs.js';
import { provider } from '../../src/verbs/provider/provider.js';
import { restart } from '../../src/verbs/restart/restart.js';
import { rollback } from '../../src/verbs/rollback/rollback.js';
import { scale } from '../../src/verbs/scale/scale.js';
import { deletePod } from '../../src/verbs/delete-pod/delete-pod.js';
import { hpa } from '../../src/verbs/hpa/hpa.js';
import { hpaSet } from '../../src/verbs/hpa/hpa-set.js';
import { pods } from '../../src/verbs/pods/pods.js';
import { status } from '../../src/verbs/status/status.js';
import { statuspageOpen, statuspageResolve, statuspageUpdate } from '../../src/verbs/statuspage/statuspage.js';

export type { KubernetesPort } from '../../src/app/verbs.js';

/** The verbs that work on the cluster, in the order help lists them (as in src/app/verbs.ts). */
export const kubernetesVerbs = [status, history, rollback, restart, scale, hpa, hpaSet, deletePod, flag, provider, logs, events, pods] as const;

/** The verbs of issue #9 that tests register beside them: cache warm, the status page and the evidence export. */
export const incidentVerbs = [cacheWarm, statuspageOpen, statuspageUpdate, statuspageResolve, incidentExport] as const;

/** ctx.ports for the Kubernetes verbs in tests: the cluster and how to follow a rollout. */
export interface KubernetesPorts extends FollowOptions {
  kubernetes: KubernetesPort;
}
