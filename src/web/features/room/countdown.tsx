import { useEffect, useState } from 'react';
import { countdown } from '../../lib/format';

/** Counts down to a server-given time; the server, not this timer, ends the session. */
export function Countdown({ until, label }: { until: string; label: string }) {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const left = Date.parse(until) - now;
  return (
    <span
      className={`font-mono text-lg font-bold tabular-nums ${left < 60_000 ? 'text-red-700' : left < 300_000 ? 'text-amber-700' : ''}`}
      aria-label={`${label}: ${countdown(left)}`}
    >
      {countdown(left)}
    </span>
  );
}
