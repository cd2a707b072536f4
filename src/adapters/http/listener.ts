import type { Server } from 'node:http';

/**
 * How long an idle connection is kept open: longer than the common load balancers'
 * 60-second idle timeout, so a balancer never sends a request down a connection the
 * bot is just closing (a 502 for someone's command).
 */
export const KEEP_ALIVE_MS = 65_000;

/** The keep-alive every listener of the bot uses (the plain one, the edge's, the app's behind the edge). */
export function keepIdleConnections(server: Server): void {
  server.keepAliveTimeout = KEEP_ALIVE_MS;
  // Node's rule: headers must be allowed longer than an idle connection is kept.
  server.headersTimeout = KEEP_ALIVE_MS + 1_000;
}

/** The URL a listener on `host` is reached at from this machine: a wildcard address is shown as 127.0.0.1, IPv6 in brackets. */
export function localUrl(host: string, port: number): string {
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}
