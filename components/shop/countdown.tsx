'use client';

import { useRouter } from 'next/navigation';
import { useEffect, useState } from 'react';

/** mm:ss until `until`; refreshes the page once when it reaches zero. */
export function Countdown({ until }: { until: string }) {
  const router = useRouter();
  const end = new Date(until).getTime();
  const [left, setLeft] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => {
      const ms = Math.max(0, end - Date.now());
      setLeft(ms);
      if (ms === 0) router.refresh();
    };
    tick();
    const id = setInterval(tick, 1000);
    return () => clearInterval(id);
  }, [end, router]);
  if (left === null) return <span className="tabular-nums">--:--</span>;
  const s = Math.floor(left / 1000);
  return <span className="tabular-nums">{`${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`}</span>;
}
