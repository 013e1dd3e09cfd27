/** An audit entry's detail as compact `key: value` pairs; long values are cut, the whole is in the title. */
export function AuditDetail({ detail, labels = {} }: { detail: Record<string, unknown>; labels?: Record<string, string> }) {
  const entries = Object.entries(detail);
  if (entries.length === 0) return <span className="text-zinc-500">—</span>;
  const show = (v: unknown): string => {
    if (v === null || v === undefined) return '—';
    if (Array.isArray(v)) return v.map(show).join(', ');
    if (typeof v === 'object') return JSON.stringify(v);
    return String(v);
  };
  const cut = (s: string) => (s.length > 48 ? `${s.slice(0, 47)}…` : s);
  // Known field names in the reader's language; others as written (they are identifiers).
  const name = (k: string) => labels[k] ?? k;
  const full = entries.map(([k, v]) => `${name(k)}: ${show(v)}`).join('\n');
  return (
    <dl className="flex max-w-80 flex-wrap gap-x-3 gap-y-0.5 text-xs" title={full}>
      {entries.slice(0, 6).map(([k, v]) => (
        <div key={k} className="flex min-w-0 gap-1">
          <dt className="text-zinc-500">{name(k)}:</dt>
          <dd className="min-w-0 truncate font-mono text-zinc-800">{cut(show(v))}</dd>
        </div>
      ))}
      {entries.length > 6 ? <div className="text-zinc-500">+{entries.length - 6}</div> : null}
    </dl>
  );
}
