import { Badge } from '@/components/ui/badge';
import type { OrderStatus } from '@/lib/orders';

const tone = { delivered: 'green', paid: 'blue', pending: 'neutral', awaiting_fulfillment: 'amber', expired: 'neutral', refunded: 'red' } as const;

/** An order's status; waiting for the merchant stands out, the rest stays quiet. */
export function OrderStatusBadge({ status, label }: { status: OrderStatus; label: string }) {
  return <Badge tone={tone[status]}>{label}</Badge>;
}
