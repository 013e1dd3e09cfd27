// The server's start (instrumentation.ts, Node runtime only): the configuration is read once,
// and a missing or malformed secret ends the process with the reason, so a server that would
// refuse every request never keeps the port (npm start's primary gives up after three such
// starts; a process manager or a health check sees the exit).
import { getConfig } from './index';

export function checkConfigOrExit(): void {
  try {
    getConfig();
  } catch (err) {
    // Building (collecting page data) is not starting: the build reports it its own way.
    if (process.env.NEXT_PHASE === 'phase-production-build') throw err;
    console.error(`OpenFaka cannot start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
