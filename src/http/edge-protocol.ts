import type { SlackDelivery, SlackIngressConfig, SlackRefusal } from '../platforms/slack/ingress.js';
import type { HttpLimits } from './listener.js';

/** What the main thread gives the edge thread at start. */
export interface EdgeWorkerData {
  host: string;
  port: number;
  /** The express app's private Unix socket, where every request other than Slack's goes. */
  upstreamSocket: string;
  slack?: SlackIngressConfig;
  limits: HttpLimits;
}

/** Messages from the edge thread to the main thread. */
export type EdgeToMain =
  | { kind: 'listening'; port: number }
  | { kind: 'failed'; message: string; code?: string }
  | { kind: 'closed' }
  | { kind: 'slack'; delivery: SlackDelivery }
  | { kind: 'slack-refused'; refusal: SlackRefusal }
  | { kind: 'slack-turned-away'; inFlight: number }
  | { kind: 'log'; level: 'warn' | 'error'; fields: Record<string, unknown>; message: string };
