// How the agent programme's numbers read in the consoles: basis points as percentages
// (500 bp → "5%"), the tones of an agent's and a withdrawal's state, an invite's state.
import type { AgentListItem, InviteRow, WithdrawalRow } from '@/lib/agents';

/** Basis points → "5%", "12.5%", "0.25%". */
export function percent(bp: number): string {
  return `${bpToInput(bp)}%`;
}

/** Basis points → the text a percentage field shows ("5", "12.5"). */
export function bpToInput(bp: number): string {
  const whole = Math.trunc(bp / 100);
  const rest = Math.abs(bp % 100);
  return rest === 0 ? String(whole) : `${whole}.${String(rest).padStart(2, '0').replace(/0$/, '')}`;
}

export const agentStatusTone = { active: 'green', suspended: 'amber', pending: 'blue', rejected: 'red' } as const satisfies Record<
  AgentListItem['status'],
  'green' | 'amber' | 'blue' | 'red'
>;

export const withdrawalTone = { pending: 'amber', approved: 'blue', paid: 'green', rejected: 'red', cancelled: 'neutral' } as const satisfies Record<
  WithdrawalRow['status'],
  'green' | 'amber' | 'blue' | 'red' | 'neutral'
>;

export type InviteState = 'active' | 'revoked' | 'expired' | 'used';

/** Whether an invite still admits anyone at `now` (ms), and if not, why: revoked, then expired, then used up. */
export function inviteState(invite: InviteRow, now: number): InviteState {
  if (invite.revokedAt) return 'revoked';
  if (invite.expiresAt && invite.expiresAt.getTime() <= now) return 'expired';
  if (invite.maxUses != null && invite.usedCount >= invite.maxUses) return 'used';
  return 'active';
}

/** "3 · 金牌代理" */
export function levelLabel(rank: number, name: string | null | undefined): string {
  return name ? `${rank} · ${name}` : String(rank);
}
