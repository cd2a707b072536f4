// Compiled by `npm run typecheck` (tsconfig includes test/), never run: the wiring a verb list needs is checked by the compiler.
import type { PortsOf } from '../../src/core/action.js';
import type { AuditReader } from '../../src/core/audit.js';
import { audit } from '../../src/verbs/audit/audit.js';
import { type JobsPort, jobs } from '../../src/verbs/jobs/jobs.js';

const verbs = [audit, jobs] as const;
declare const auditTrail: AuditReader;
declare const queue: JobsPort;

// Every port each verb declares: compiles.
export const wired: PortsOf<typeof verbs> = { auditTrail, jobs: queue };

// @ts-expect-error jobs declares { jobs }, and it is left out
export const missing: PortsOf<typeof verbs> = { auditTrail };

// @ts-expect-error audit's port is given the wrong shape (a queue cannot be queried for audit records)
export const wrong: PortsOf<typeof verbs> = { auditTrail: queue, jobs: queue };
