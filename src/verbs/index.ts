import type { AnyAction } from '../core/action.js';
import { cacheWarm } from './cache-warm/cache-warm.js';
import { incidentExport } from './incident-export/incident-export.js';
import { statuspageActions } from './statuspage/statuspage.js';
import { events } from './events/events.js';
import type { ConfigMapPort } from './flag/flag.js';
import { flag } from './flag/flag.js';
import { history } from './history/history.js';
import { logs } from './logs/logs.js';
import type { EventReader, FollowOptions, RolloutReader } from './shared/kubernetes-ports.js';
import type { EnvWriter } from './provider/provider.js';
import { provider } from './provider/provider.js';
import type { RestartWriter } from './restart/restart.js';
import { restart } from './restart/restart.js';
import type { RollbackWriter } from './rollback/rollback.js';
import { rollback } from './rollback/rollback.js';
import type { ScaleWriter } from './scale/scale.js';
import { scale } from './scale/scale.js';
import { status } from './status/status.js';

/** Everything the Kubernetes actions together need; the adapter in src/clients/kubernetes/client.ts implements it. */
export type KubernetesPort = RolloutReader & EventReader & RollbackWriter & RestartWriter & ScaleWriter & ConfigMapPort & EnvWriter;

/** ActionContext.ports for the actions below. */
export interface KubernetesPorts extends FollowOptions {
  kubernetes: KubernetesPort;
}

/**
 * The verbs of issue #9, registered after kubernetesActions(): cache warm, the status
 * page and the evidence export. Their ports: CacheWarmPorts, StatuspagePorts, EvidencePorts.
 */
export function incidentActions(): AnyAction[] {
  return [cacheWarm, ...statuspageActions, incidentExport];
}

/** In the order help lists them: the order of the command table in ARCHITECTURE.md. */
export function kubernetesActions(): AnyAction[] {
  return [status, history, rollback, restart, scale, flag, provider, logs, events];
}
