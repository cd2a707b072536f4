import type { EdgeIngressConfig, EdgeRefusal } from '../platforms/shared/platform.js';
import type { HttpLimits } from './listener.js';

/** One platform route the edge thread answers itself; plain data, so that it crosses to the thread. */
export interface EdgeRoute {
  platform: string;
  path: string;
  /** The module the thread imports for the route's `edgeIngress` (the platform's verifier). */
  module: string;
  config: EdgeIngressConfig;
}

/** What the main thread gives the edge thread at start. */
export interface EdgeWorkerData {
  host: string;
  port: number;
  /** The express app's private Unix socket, where every request the routes do not take goes. */
  upstreamSocket: string;
  routes: EdgeRoute[];
  limits: HttpLimits;
}

/** Messages from the edge thread to the main thread; a route's messages carry its platform's name. */
export type EdgeToMain =
  | { kind: 'listening'; port: number }
  | { kind: 'failed'; message: string; code?: string }
  | { kind: 'closed' }
  | { kind: 'delivered'; platform: string; delivery: unknown }
  | { kind: 'refused'; platform: string; refusal: EdgeRefusal }
  | { kind: 'turned-away'; platform: string; inFlight: number }
  | { kind: 'log'; level: 'warn' | 'error'; fields: Record<string, unknown>; message: string };
