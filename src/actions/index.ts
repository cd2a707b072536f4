import type { AnyAction } from '../core/action.js';
import { cacheWarm } from './cache-warm.js';
import { incidentExport } from './incident-export.js';
import { statuspageActions } from './statuspage.js';
import { events } from './events.js';
import type { ConfigMapPort } from './flag.js';
import { flag } from './flag.js';
import { history } from './history.js';
import { logs } from './logs.js';
import type { EventReader, FollowOptions, RolloutReader } from './ports.js';
import type { EnvWriter } from './provider.js';
import { provider } from './provider.js';
import type { RestartWriter } from './restart.js';
import { restart } from './restart.js';
import type { RollbackWriter } from './rollback.js';
import { rollback } from './rollback.js';
import type { ScaleWriter } from './scale.js';
import { scale } from './scale.js';
import { status } from './status.js';

/** Everything the Kubernetes actions together need; the adapter in src/adapters/kubernetes.ts implements it. */
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
