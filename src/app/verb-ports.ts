import type { StatuspageLinks } from '../verbs/statuspage/statuspage.js';
import type { externalClients } from './clients.js';
import type { VerbPorts } from './verbs.js';

/** What the verbs are given as ctx.ports, from the parts the composition root built; the compiler checks it against what they declare. */
export function verbPorts(parts: {
  kubernetes: VerbPorts['kubernetes'];
  jobs: VerbPorts['jobs'];
  /** The sandbox moves fast; a real cluster is polled like kubectl rollout status would. */
  sandboxed: boolean;
  clients: ReturnType<typeof externalClients>;
  statuspageLinks: StatuspageLinks;
  evidence: VerbPorts['evidence'];
  auditTrail: VerbPorts['auditTrail'];
  pager: VerbPorts['pager'] | undefined;
  /** The incident store's alerts, for `incident export`. */
  firedAlerts: VerbPorts['firedAlerts'];
}): VerbPorts {
  const { clients } = parts;
  return {
    kubernetes: parts.kubernetes,
    jobs: parts.jobs,
    followPollMs: parts.sandboxed ? 250 : 2000,
    ...(clients.metrics ? { metrics: clients.metrics } : {}),
    endpoints: clients.endpoints,
    statuspageLinks: parts.statuspageLinks,
    evidence: parts.evidence,
    // The stream itself: the metering wrapper records, it does not read (typed ports caught `audit` failing here).
    auditTrail: parts.auditTrail,
    ...(parts.pager ? { pager: parts.pager } : {}),
    ...(parts.firedAlerts ? { firedAlerts: parts.firedAlerts } : {}),
    ...(clients.statuspage ? { statuspage: clients.statuspage } : {}),
    ...(clients.github ? { github: clients.github } : {}),
  };
}
