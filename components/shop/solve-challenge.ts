'use client';

import type { Challenge } from 'altcha-lib';

/**
 * Solves the shop's proof-of-work challenge in the browser (ALTCHA's scheme, WebCrypto
 * PBKDF2; about a second on a phone at the default work) and returns what the order sends
 * back as `challenge`, or null when it could not be solved in time. The solver is loaded
 * only when a challenge is asked for.
 */
export async function solveChallengeInBrowser(challenge: Challenge, controller?: AbortController): Promise<string | null> {
  const [{ solveChallenge }, { deriveKey }] = await Promise.all([import('altcha-lib'), import('altcha-lib/algorithms/web/pbkdf2')]);
  const solution = await solveChallenge({ challenge, deriveKey, controller, timeout: 60_000 });
  if (!solution) return null;
  return btoa(JSON.stringify({ challenge, solution: { counter: solution.counter, derivedKey: solution.derivedKey } }));
}
