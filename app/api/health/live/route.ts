// Liveness: the process answers, nothing else is asked (no database). For a load
// balancer's or orchestrator's liveness probe, and the HTTP benchmark's ceiling: the cost of
// a route handler of this build with no work in it. Readiness (database, outbox lag) is
// /api/health.
export function GET() {
  return new Response('{"ok":true}', { headers: { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } });
}
