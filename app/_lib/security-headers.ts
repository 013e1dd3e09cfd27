// The headers proxy.ts puts on every page: a Content-Security-Policy with a fresh nonce
// (Next reads the nonce from the request's copy of the header and puts it on its own
// scripts; no other script runs) and, when the public URL is https, HSTS. Route handlers
// (/api) answer JSON and keep next.config.ts's static headers only.

export type PolicyOptions = {
  nonce: string;
  /** `next dev` evaluates code (React's dev call stacks) and needs 'unsafe-eval'. */
  development: boolean;
  /** The public URL is https: upgrade stray http sub-resources. */
  https: boolean;
  /**
   * Origins a page may submit a form to besides its own. Pay pages reach a gateway by
   * link (epay's signed submit.php is a GET), which form-action does not govern; a driver
   * that must POST to its gateway passes the gateway's origin here.
   */
  formTargets?: readonly string[];
};

/** A base64 nonce of 128 random bits, new for every response. */
export function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

export function contentSecurityPolicy(o: PolicyOptions): string {
  const directives: [string, ...string[]][] = [
    ['default-src', "'self'"],
    // 'strict-dynamic': scripts loaded by a nonced script (Next's chunks) run, nothing else does.
    ['script-src', "'self'", `'nonce-${o.nonce}'`, "'strict-dynamic'", ...(o.development ? ["'unsafe-eval'"] : [])],
    // React writes style attributes (progress bars, the heat map); styles cannot run code.
    ['style-src', "'self'", "'unsafe-inline'"],
    // A merchant's logo may be on any https host; QR codes are data: URLs.
    ['img-src', "'self'", 'data:', 'blob:', 'https:'],
    ['font-src', "'self'", 'data:'],
    ['connect-src', "'self'"],
    ['object-src', "'none'"],
    ['base-uri', "'self'"],
    ['form-action', "'self'", ...(o.formTargets ?? [])],
    ['frame-ancestors', "'none'"],
    ...(o.https ? ([['upgrade-insecure-requests']] as [string][]) : []),
  ];
  return directives.map((d) => d.join(' ')).join('; ');
}

/** One year, this host only: a deployer's other subdomains are not ours to pin to https. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=31536000';
