// Disposable e-mail domains (mailinator.com, yopmail.com…): the list ships in the
// `disposable-email-domains` package (MIT, ~120,000 domains, kept current by its
// maintainers; `npm update disposable-email-domains` takes the latest), and the domains in
// its wildcard list count with every subdomain. A disposable address is a score input
// (policy `disposableEmailWeight`), never a block on its own unless the merchant makes it one.
import 'server-only';
import { createRequire } from 'node:module';

let domains: { exact: Set<string>; wildcard: Set<string> } | undefined;

/** Loaded on first use (a few MB), then kept for the process. */
function lists() {
  if (!domains) {
    const require = createRequire(import.meta.url);
    domains = {
      exact: new Set<string>(require('disposable-email-domains') as string[]),
      wildcard: new Set<string>(require('disposable-email-domains/wildcard.json') as string[]),
    };
  }
  return domains;
}

/** Whether the e-mail's domain is a known throwaway-address service (its subdomains too, for the wildcard ones). */
export function isDisposableEmail(email: string): boolean {
  const domain = email.slice(email.lastIndexOf('@') + 1).toLowerCase();
  if (!domain) return false;
  const { exact, wildcard } = lists();
  if (exact.has(domain)) return true;
  const parts = domain.split('.');
  for (let i = 1; i < parts.length - 1; i++) if (wildcard.has(parts.slice(i).join('.'))) return true;
  return false;
}
