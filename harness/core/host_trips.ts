/**
 * The check that keeps host round trips out of timings: a variant whose call moves the backend's host-trip count
 * (BackendAdapter.hostTrips: a kernel run on the host through a fallback, or a value read back) would have those
 * copies inside every timed call, so it is refused with the causes named.
 */
import type { HostTripCounts } from './types.ts';

/** The causes whose count grew between two readings, as "cause ×n". */
export function hostTripsSince(before: HostTripCounts | undefined, after: HostTripCounts | undefined): string[] {
  if (!before || !after || after.total === before.total) return [];
  return Object.entries(after.byCause)
    .map(([cause, n]) => [cause, n - (before.byCause[cause] ?? 0)] as const)
    .filter(([, d]) => d > 0)
    .map(([cause, d]) => `${cause} ×${d}`);
}

/** Throws when `run` made host round trips; `what` names the variant or region for the message. */
export async function refuseHostTrips<T>(backend: string, what: string, read: (() => HostTripCounts) | undefined, run: () => Promise<T>): Promise<T> {
  const before = read?.();
  const result = await run();
  const grew = hostTripsSince(before, read?.());
  if (grew.length > 0) {
    throw new Error(`${what} makes host round trips on ${backend} on every call (${grew.join(', ')}); a timing would include those host copies, so it is not timed`);
  }
  return result;
}
