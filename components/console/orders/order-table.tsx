import Link from 'next/link';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import type { OrderStatus } from '@/lib/orders';
import { OrderStatusBadge } from './status-badge';

export type OrderTableRow = {
  orderNo: string;
  product: string;
  quantity: number;
  amount: string;
  status: OrderStatus;
  statusLabel: string;
  email: string;
  channel: string;
  created: string;
  paid: string | null;
};

export type OrderTableLabels = Record<'orderNo' | 'product' | 'quantity' | 'amount' | 'status' | 'email' | 'channel' | 'created' | 'paid' | 'empty', string>;

// Nine columns on a 1,000-pixel console: tighter cell padding, long text clipped with its
// full value in the title, the two times stacked in one column.
const cell = 'px-2';

/** A table from md up; on a phone each order is a compact card with the same facts. */
export function OrderTable({
  rows,
  labels,
  sort,
}: {
  rows: OrderTableRow[];
  labels: OrderTableLabels;
  sort?: { oldestFirst: boolean; href: string; label: string };
}) {
  return (
    <>
      <ul className="divide-y divide-zinc-100 md:hidden">
        {rows.length === 0 ? <li className="px-4 py-10 text-center text-sm text-zinc-500">{labels.empty}</li> : null}
        {rows.map((r) => (
          <li key={r.orderNo} className="relative space-y-1.5 px-4 py-3 focus-within:bg-zinc-50 hover:bg-zinc-50">
            <div className="flex items-center justify-between gap-3">
              <Link
                href={`/console/orders/${r.orderNo}`}
                className="min-w-0 truncate font-mono text-xs text-brand-700 after:absolute after:inset-0 focus-visible:outline-2 focus-visible:outline-brand-500"
              >
                {r.orderNo}
              </Link>
              <OrderStatusBadge status={r.status} label={r.statusLabel} />
            </div>
            <div className="flex items-baseline justify-between gap-3 text-sm">
              <span className="min-w-0 truncate text-zinc-900">
                {r.product} <span className="text-zinc-500">× {r.quantity}</span>
              </span>
              <span className="shrink-0 font-medium tabular-nums text-zinc-900">{r.amount}</span>
            </div>
            <div className="flex items-baseline justify-between gap-3 text-xs text-zinc-500">
              <span className="min-w-0 truncate">{r.email}</span>
              <span className="shrink-0 tabular-nums">{r.created}</span>
            </div>
          </li>
        ))}
      </ul>
      <div className="hidden md:block">
        <Table>
          <thead className="bg-zinc-50">
            <tr>
              <Th className="pl-5">{labels.orderNo}</Th>
              <Th className={cell}>{labels.product}</Th>
              <Th className={`${cell} text-right`}>{labels.quantity}</Th>
              <Th className={`${cell} text-right`}>{labels.amount}</Th>
              <Th className={cell}>{labels.status}</Th>
              <Th className={cell}>{labels.email}</Th>
              <Th className={cell}>{labels.channel}</Th>
              <Th className="pr-5 pl-2" aria-sort={sort ? (sort.oldestFirst ? 'ascending' : 'descending') : undefined}>
                {sort ? (
                  <Link
                    href={sort.href}
                    title={sort.label}
                    className="inline-flex items-center gap-1 hover:text-zinc-800 focus-visible:outline-2 focus-visible:outline-brand-500"
                  >
                    {labels.created} {sort.oldestFirst ? '↑' : '↓'}
                  </Link>
                ) : (
                  labels.created
                )}{' '}
                / {labels.paid}
              </Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-100">
            {rows.length === 0 ? <EmptyRow colSpan={8}>{labels.empty}</EmptyRow> : null}
            {rows.map((r) => (
              <Tr key={r.orderNo}>
                <Td className="pl-5">
                  <Link
                    href={`/console/orders/${r.orderNo}`}
                    className="font-mono text-xs text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500"
                  >
                    {r.orderNo}
                  </Link>
                </Td>
                <Td className={`${cell} max-w-36 truncate`} title={r.product}>
                  {r.product}
                </Td>
                <Td className={`${cell} text-right tabular-nums`}>{r.quantity}</Td>
                <Td className={`${cell} text-right tabular-nums`}>{r.amount}</Td>
                <Td className={cell}>
                  <OrderStatusBadge status={r.status} label={r.statusLabel} />
                </Td>
                <Td className={`${cell} max-w-44 truncate`} title={r.email}>
                  {r.email}
                </Td>
                <Td className={`${cell} max-w-24 truncate text-zinc-600`} title={r.channel}>
                  {r.channel}
                </Td>
                <Td className="pr-5 pl-2 text-xs tabular-nums leading-5 text-zinc-600">
                  <div title={labels.created}>{r.created}</div>
                  <div title={labels.paid} className="text-zinc-500">
                    {r.paid ?? '—'}
                  </div>
                </Td>
              </Tr>
            ))}
          </tbody>
        </Table>
      </div>
    </>
  );
}
