import type { Server } from 'node:http';

/**
 * How long an idle connection is kept open: longer than the common load balancers'
 * 60-second idle timeout, so a balancer never sends a request down a connection the
 * bot is just closing (a 502 for someone's command).
 */
export const KEEP_ALIVE_MS = 65_000;

/**
 * What one client may take of a listener. Without these, 150 slow-body and 50
 * header-trickle connections were each held for as long as their senders liked.
 */
export interface HttpLimits {
  /** From a request's first byte to the end of its headers (Node's headersTimeout): answered 408 past it. */
  headersTimeoutMs: number;
  /** From a request's first byte to the end of its body (Node's requestTimeout). */
  requestTimeoutMs: number;
  /** Open connections at once; beyond, new ones are closed as they arrive. */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = { headersTimeoutMs: 5_000, requestTimeoutMs: 10_000, maxConnections: 1_000 };

/** The keep-alive and the limits every listener of the bot uses (the plain one, the edge's, the app's behind the edge). */
export function configureListener(server: Server, limits: HttpLimits = DEFAULT_HTTP_LIMITS): void {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // Node measures both from the request's first byte, not from when the connection went idle,
  // so they can be far shorter than the keep-alive. Headers cannot be given longer than the whole request.
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  // Node checks the two timeouts on this interval (30 s by default): often enough to keep them honest.
  (server as Server & { connectionsCheckingInterval: number }).connectionsCheckingInterval = Math.min(1_000, Math.ceil(server.headersTimeout / 4));
  server.maxConnections = limits.maxConnections;
}

/** The URL a listener on `host` is reached at from this machine: a wildcard address is shown as 127.0.0.1, IPv6 in brackets. */
export function localUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}
