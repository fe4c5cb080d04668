// Runner status from when the runner last connected, as CircleCI's own
// command-line client derives it: online while recently seen, idle for a
// while after, offline once silent for longer.

export type RunnerStatus = 'online' | 'idle' | 'offline' | 'unknown';

export interface StatusThresholds {
  onlineWithinMs: number;
  idleWithinMs: number;
}

export const defaultThresholds: StatusThresholds = {
  onlineWithinMs: 120_000,
  idleWithinMs: 1_800_000,
};

export function deriveRunnerStatus(
  lastConnected: number | undefined,
  now: number,
  thresholds: StatusThresholds,
): RunnerStatus {
  if (lastConnected === undefined || !Number.isFinite(lastConnected)) {
    return 'unknown';
  }

  // A clock a little ahead of ours still means "just now", not "in the future".
  const silentFor = Math.max(0, now - lastConnected);
  if (silentFor <= thresholds.onlineWithinMs) {
    return 'online';
  }
  if (silentFor <= Math.max(thresholds.idleWithinMs, thresholds.onlineWithinMs)) {
    return 'idle';
  }
  return 'offline';
}

/** When the status of a runner will next change by time alone, or undefined if never. */
export function nextStatusChangeAt(
  lastConnected: number | undefined,
  now: number,
  thresholds: StatusThresholds,
): number | undefined {
  if (lastConnected === undefined) {
    return undefined;
  }

  const candidates = [
    lastConnected + thresholds.onlineWithinMs,
    lastConnected + Math.max(thresholds.idleWithinMs, thresholds.onlineWithinMs),
  ];
  return candidates.find((at) => at >= now);
}

const units: Array<[limitMs: number, unitMs: number, unit: string]> = [
  [60_000, 1_000, 's'],
  [3_600_000, 60_000, 'min'],
  [86_400_000, 3_600_000, 'h'],
  [Infinity, 86_400_000, 'd'],
];

/** "just now", "45 s ago", "4 min ago", "3 h ago", "12 d ago"; "in the future" when ahead. */
export function formatAgo(at: number, now: number): string {
  const ago = now - at;
  if (ago < -60_000) {
    return 'in the future';
  }
  if (ago < 10_000) {
    return 'just now';
  }

  for (const [limitMs, unitMs, unit] of units) {
    if (ago < limitMs) {
      return `${Math.floor(ago / unitMs)} ${unit} ago`;
    }
  }
  return 'long ago';
}

export function statusLabel(status: RunnerStatus): string {
  switch (status) {
    case 'online':
      return 'Online';
    case 'idle':
      return 'Idle';
    case 'offline':
      return 'Offline';
    case 'unknown':
      return 'Unknown';
  }
}
