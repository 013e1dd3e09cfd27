// Runs one of the scenario scripts (scripts/crash-test.ts, scripts/scale-test.ts) the way
// a developer would, and returns its exit code, the figures of its last stdout line (JSON)
// and its stderr (the scenario's running commentary, shown when it fails).
import { spawn } from 'node:child_process';

export async function runScenario(script: string): Promise<{ code: number | null; figures: Record<string, unknown>; err: string; last: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=react-server', script], {
    env: { ...process.env, NODE_ENV: 'test' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  const last = out.trim().split('\n').pop() ?? '{}';
  return { code, figures: JSON.parse(last.startsWith('{') ? last : '{}') as Record<string, unknown>, err, last };
}
