'use client';

import type { ButtonHTMLAttributes, ReactNode } from 'react';
import { useFormStatus } from 'react-dom';
import { Button } from './button';

/** A form's submit button that shows its pending label while the action runs. */
export function SubmitButton({
  children,
  pendingLabel,
  variant,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { pendingLabel: ReactNode; variant?: 'primary' | 'secondary' | 'ghost' | 'danger'; size?: 'md' | 'sm' }) {
  const { pending } = useFormStatus();
  return (
    <Button type="submit" variant={variant} disabled={pending || props.disabled} aria-busy={pending} {...props}>
      {pending ? pendingLabel : children}
    </Button>
  );
}
