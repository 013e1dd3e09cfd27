// Runs once when the server starts: in production, a missing or malformed secret stops the
// server here with a clear message instead of failing on the first request (lib/config/startup.ts).
export async function register() {
  if (process.env.NEXT_RUNTIME === 'nodejs') {
    const { checkConfigOrExit } = await import('./lib/config/startup');
    checkConfigOrExit();
  }
}
