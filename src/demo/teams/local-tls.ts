/**
 * A throwaway certificate authority and a server certificate for 127.0.0.1 / localhost, generated at run
 * time (selfsigned: node's WebCrypto underneath), so the local Microsoft stand-ins speak real HTTPS.
 *
 *   const tls = await createLocalTls();
 *   https.createServer({ key: tls.key, cert: tls.cert }, handler);
 *   // a child process trusts it: env NODE_EXTRA_CA_CERTS = tls.caFile
 *
 * Nothing is kept: the CA's private key stays in memory and the CA certificate file goes to a fresh
 * temporary folder (removed by `dispose`).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generate } from 'selfsigned';

export interface LocalTls {
  /** PEM of the CA certificate (what a client must trust). */
  caCert: string;
  /** A file holding `caCert`, for NODE_EXTRA_CA_CERTS. */
  caFile: string;
  /** The server's private key and certificate (signed by the CA; SAN 127.0.0.1, ::1, localhost). */
  key: string;
  cert: string;
  dispose(): void;
}

export async function createLocalTls(): Promise<LocalTls> {
  const now = new Date();
  const until = new Date(now.getTime() + 24 * 3600_000);
  const ca = await generate([{ name: 'commonName', value: 'CRM bot local test CA' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: until,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  });
  const server = await generate([{ name: 'commonName', value: 'localhost' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(now.getTime() - 60_000),
    notAfterDate: until,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
          { type: 7, ip: '::1' },
        ],
      },
    ],
  });
  const dir = mkdtempSync(join(tmpdir(), 'crm-local-ca-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.cert);
  return {
    caCert: ca.cert,
    caFile,
    key: server.private,
    cert: server.cert,
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Writes the server key and certificate beside the CA file (the same throwaway folder) and returns that
 * folder, for a child process that serves the stand-ins itself and trusts the CA through
 * NODE_EXTRA_CA_CERTS = `${folder}/ca.pem` (Node reads that variable only when a process starts: bin/demo.mjs).
 */
export function saveLocalTls(tls: LocalTls): string {
  const dir = dirname(tls.caFile);
  writeFileSync(join(dir, 'key.pem'), tls.key, { mode: 0o600 });
  writeFileSync(join(dir, 'cert.pem'), tls.cert);
  return dir;
}

/** The LocalTls a parent saved with saveLocalTls; `dispose` is the parent's (a no-op here). */
export function loadLocalTls(dir: string): LocalTls {
  const caFile = join(dir, 'ca.pem');
  return {
    caCert: readFileSync(caFile, 'utf8'),
    caFile,
    key: readFileSync(join(dir, 'key.pem'), 'utf8'),
    cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    dispose: () => undefined,
  };
}
