import { admin } from '../admin/admin.js';
import { adminRun } from '../admin/admin-run.js';
import { deps } from '../deps/deps.js';
import { health } from '../health/health.js';
import { serviceConfig } from '../service-config/service-config.js';

/**
 * The verbs that ask the service itself (issue 20): its health probes, its ConfigMap, its
 * dependencies, its admin API's reads and actions, in the order help lists them. One tuple
 * so src/app/compose.ts names them in one line and stays under the 300-line limit; the
 * ports each declares still reach `PortsOf` through the spread.
 */
export const serviceVerbs = [health, serviceConfig, deps, admin, adminRun] as const;
