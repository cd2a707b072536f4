import type { PortsOf } from '../core/action.js';
import { approve, reject } from '../verbs/approvals/approve.js';
import { audit as auditVerb } from '../verbs/audit/audit.js';
import { cacheWarm } from '../verbs/cache-warm/cache-warm.js';
import { events } from '../verbs/events/events.js';
import { flag } from '../verbs/flag/flag.js';
import { history } from '../verbs/history/history.js';
import { incidentExport } from '../verbs/incident-export/incident-export.js';
import { logs } from '../verbs/logs/logs.js';
import { provider } from '../verbs/provider/provider.js';
import { restart } from '../verbs/restart/restart.js';
import { rollback } from '../verbs/rollback/rollback.js';
import { scale } from '../verbs/scale/scale.js';
import { pods } from '../verbs/pods/pods.js';
import { serviceVerbs } from '../verbs/service/service-verbs.js';
import { hpa } from '../verbs/hpa/hpa.js';
import { hpaSet } from '../verbs/hpa/hpa-set.js';
import { deletePod } from '../verbs/delete-pod/delete-pod.js';
import { deploy } from '../verbs/deploy/deploy.js';
import { status } from '../verbs/status/status.js';
import { ack, resolve } from '../verbs/incident-response/incident-response.js';
import { cancel, jobs } from '../verbs/jobs/jobs.js';
import { page } from '../verbs/page/page.js';
import { statuspageOpen, statuspageResolve, statuspageUpdate } from '../verbs/statuspage/statuspage.js';

/**
 * Every verb the bot understands, in the order help lists them (the command table in
 * ARCHITECTURE.md); `help` itself is made from the registry they fill. Adding a verb
 * is its folder under src/verbs/ and one line here; the ports it declares are then
 * required of the `ports` object in compose.ts by the compiler.
 */
export const verbs = [
  status,
  history,
  rollback,
  deploy,
  restart,
  scale,
  hpa,
  hpaSet,
  deletePod,
  flag,
  provider,
  logs,
  events,
  pods,
  ...serviceVerbs,
  cacheWarm,
  statuspageOpen,
  statuspageUpdate,
  statuspageResolve,
  incidentExport,
  page,
  ack,
  resolve,
  jobs,
  cancel,
  approve,
  reject,
  auditVerb,
] as const;

/** What the verbs together need as ctx.ports: each verb's declared ports, intersected. */
export type VerbPorts = PortsOf<typeof verbs>;

/** The Kubernetes calls the verbs together make; src/clients/kubernetes/client.ts provides them. */
export type KubernetesPort = VerbPorts['kubernetes'];
