import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Microsoft's sign-in hosts the Teams SDK calls at fixed https URLs: the Bot Framework's
 * signing keys (login.botframework.com) and Entra's token endpoint (login.microsoftonline.com).
 * Tests serve both from test/fakes/microsoft-login.ts with a certificate for these names.
 */
export const MICROSOFT_HOSTS = ['login.botframework.com', 'login.microsoftonline.com'] as const;

/** Where global setup leaves the test CA and the fake hosts' certificate (the workers inherit it). */
export const TLS_DIR_ENV = 'MAESTRO_TEST_TLS_DIR';

export interface TestTls {
  dir: string;
  /** The CA bundle NODE_EXTRA_CA_CERTS names: the test CA (and any bundle the runner already trusted). */
  caFile: string;
}

/**
 * Makes a CA for this run and a server certificate signed by it for the Microsoft hosts. The CA
 * reaches every test process through NODE_EXTRA_CA_CERTS, which Node reads only at start-up: global
 * setup sets it before vitest forks its workers, and bot processes get it in their env.
 */
export function makeTestTls(): TestTls {
  const dir = mkdtempSync(join(tmpdir(), 'maestro-tls-'));
  const at = (name: string) => join(dir, name);
  const run = (args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=maestro-bot test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
    '-keyout', at('ca.key'), '-out', at('ca.pem')]);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${MICROSOFT_HOSTS[0]}`, '-keyout', at('server.key'), '-out', at('server.csr')]);
  writeFileSync(at('server.ext'), [
    `subjectAltName=${MICROSOFT_HOSTS.map((h) => `DNS:${h}`).join(',')}`,
    'basicConstraints=CA:FALSE',
    'extendedKeyUsage=serverAuth',
  ].join('\n'));
  run(['x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'), '-CAcreateserial', '-days', '2',
    '-extfile', at('server.ext'), '-out', at('server.pem')]);
  const inherited = process.env.NODE_EXTRA_CA_CERTS;
  const bundle = [readFileSync(at('ca.pem'), 'utf8'), inherited && existsSync(inherited) ? readFileSync(inherited, 'utf8') : ''].join('\n');
  writeFileSync(at('bundle.pem'), bundle);
  return { dir, caFile: at('bundle.pem') };
}

/** The fake hosts' key and certificate, as global setup made them. */
export function serverCertificate(): { key: string; cert: string; caFile: string } {
  const dir = process.env[TLS_DIR_ENV];
  if (!dir) throw new Error(`${TLS_DIR_ENV} is not set: the Microsoft login fake needs test/support/global-setup.ts to have run`);
  return { key: readFileSync(join(dir, 'server.key'), 'utf8'), cert: readFileSync(join(dir, 'server.pem'), 'utf8'), caFile: join(dir, 'bundle.pem') };
}
