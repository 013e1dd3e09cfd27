// A host of the test's own with a public-range address, inside a network namespace the test
// creates: a veth pair, host side 11.0.0.1/30, namespace side 11.0.0.2/30. Traffic to it never
// leaves the machine. Needs root (CAP_NET_ADMIN); `netnsAvailable()` says whether it can run.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PUBLIC_HOST_ADDRESS = '11.0.0.2';

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });

export function netnsAvailable(): boolean {
  const name = `ofkprobe${randomBytes(3).toString('hex')}`;
  try {
    ip('netns', 'add', name);
    ip('netns', 'del', name);
    return true;
  } catch {
    return false;
  }
}

export type PublicHost = { address: string; caFile: string; run: (script: string) => ChildProcess; close: () => void };

/** Creates the namespace and its link, and a CA plus a certificate for the address. */
export function startPublicHost(): PublicHost {
  const id = randomBytes(3).toString('hex');
  const ns = `ofk${id}`;
  const host = `vofh${id}`;
  const peer = `vofn${id}`;
  ip('netns', 'add', ns);
  try {
    ip('link', 'add', host, 'type', 'veth', 'peer', 'name', peer);
    ip('link', 'set', peer, 'netns', ns);
    ip('addr', 'add', '11.0.0.1/30', 'dev', host);
    ip('link', 'set', host, 'up');
    ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${PUBLIC_HOST_ADDRESS}/30`, 'dev', peer);
    ip('netns', 'exec', ns, 'ip', 'link', 'set', peer, 'up');
    ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
  } catch (err) {
    ip('netns', 'del', ns);
    throw err;
  }
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ofk-tls-'));
  const f = (n: string) => path.join(dir, n);
  const ssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  ssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('ca.key'), '-out', f('ca.pem'), '-days', '1', '-subj', '/CN=OpenFaka test CA');
  ssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f('host.key'), '-out', f('host.csr'), '-subj', `/CN=${PUBLIC_HOST_ADDRESS}`);
  writeFileSync(f('san.ext'), `subjectAltName=IP:${PUBLIC_HOST_ADDRESS}\n`);
  ssl(
    'x509',
    '-req',
    '-in',
    f('host.csr'),
    '-CA',
    f('ca.pem'),
    '-CAkey',
    f('ca.key'),
    '-CAcreateserial',
    '-out',
    f('host.pem'),
    '-days',
    '1',
    '-extfile',
    f('san.ext'),
  );
  const children: ChildProcess[] = [];
  return {
    address: PUBLIC_HOST_ADDRESS,
    caFile: f('ca.pem'),
    /** Runs a Node script inside the namespace, with the host's key and certificate in its environment. */
    run(script: string) {
      const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], {
        env: { ...process.env, TLS_KEY: f('host.key'), TLS_CERT: f('host.pem') },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      return child;
    },
    close() {
      for (const c of children) c.kill('SIGKILL');
      try {
        ip('netns', 'del', ns); // takes the veth pair with it
      } catch {
        // already gone
      }
    },
  };
}
