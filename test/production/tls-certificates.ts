import {createHash, X509Certificate} from 'node:crypto';
import {execFileSync} from 'node:child_process';
import {readFileSync, writeFileSync} from 'node:fs';
import {join} from 'node:path';

/** A throw-away CA and one server certificate it signed, as files and as the clients need them. */
export interface TestCertificates {
  /** The CA certificate (PEM), for Node clients' `ca`. */
  caPem: string;
  certificateFile: string;
  keyFile: string;
  /** base64 SHA-256 of the server certificate's public key, for Chromium's --ignore-certificate-errors-spki-list. */
  spkiHash: string;
}

/**
 * Makes a CA and a certificate for `hostnames` with openssl, in `folder`. Nothing is installed into a
 * trust store: Node clients get the CA, Chromium trusts exactly this key by its SPKI hash.
 */
export function makeTestCertificates(folder: string, hostnames: string[]): TestCertificates {
  const file = (name: string) => join(folder, name);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, {cwd: folder, stdio: ['ignore', 'ignore', 'pipe']});
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=wecom-sp-login test CA',
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  );
  openssl(
    'req',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-subj',
    `/CN=${hostnames[0]}`,
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  );
  writeFileSync(
    file('server.ext'),
    `subjectAltName=${hostnames.map((name) => `DNS:${name}`).join(',')}\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'server.ext',
    '-out',
    'server.pem',
  );
  const certificate = new X509Certificate(readFileSync(file('server.pem')));
  const spki = certificate.publicKey.export({type: 'spki', format: 'der'});
  return {
    caPem: readFileSync(file('ca.pem'), 'utf8'),
    certificateFile: file('server.pem'),
    keyFile: file('server.key'),
    spkiHash: createHash('sha256').update(spki).digest('base64'),
  };
}
