import Link from 'next/link';
import { EmptyRow, Table, Td, Th, Tr } from '@/components/ui/table';
import type { OrderStatus } from '@/db/schema';
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

export function OrderTable({ rows, labels }: { rows: OrderTableRow[]; labels: OrderTableLabels }) {
  return (
    <Table>
      <thead className="bg-zinc-50">
        <tr>
          <Th className="pl-5">{labels.orderNo}</Th>
          <Th>{labels.product}</Th>
          <Th className="text-right">{labels.quantity}</Th>
          <Th className="text-right">{labels.amount}</Th>
          <Th>{labels.status}</Th>
          <Th>{labels.email}</Th>
          <Th>{labels.channel}</Th>
          <Th>{labels.created}</Th>
          <Th className="pr-5">{labels.paid}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-zinc-100">
        {rows.length === 0 ? <EmptyRow colSpan={9}>{labels.empty}</EmptyRow> : null}
        {rows.map((r) => (
          <Tr key={r.orderNo}>
            <Td className="pl-5">
              <Link href={`/console/orders/${r.orderNo}`} className="font-mono text-xs text-brand-700 hover:underline focus-visible:outline-2 focus-visible:outline-brand-500">
                {r.orderNo}
              </Link>
            </Td>
            <Td className="max-w-48 truncate" title={r.product}>
              {r.product}
            </Td>
            <Td className="text-right tabular-nums">{r.quantity}</Td>
            <Td className="text-right tabular-nums">{r.amount}</Td>
            <Td>
              <OrderStatusBadge status={r.status} label={r.statusLabel} />
            </Td>
            <Td className="max-w-56 truncate" title={r.email}>
              {r.email}
            </Td>
            <Td className="max-w-32 truncate" title={r.channel}>
              {r.channel}
            </Td>
            <Td className="tabular-nums text-zinc-600">{r.created}</Td>
            <Td className="pr-5 tabular-nums text-zinc-600">{r.paid ?? '—'}</Td>
          </Tr>
        ))}
      </tbody>
    </Table>
  );
}
