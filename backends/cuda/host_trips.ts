/**
 * Host round trips made inside cuda kernels: a kernel run on tfjs-backend-cpu (the fallback: inputs downloaded,
 * result uploaded) or a read-back of values a kernel needs on the host (GatherV2's index check, BroadcastArgs).
 * Each is counted by what made it. The harness reads the counts around a suite's calls (BackendAdapter.hostTrips):
 * a variant that makes one on every call is not timed, because its timing would include the host copies.
 */
export interface HostTripCounts {
  readonly total: number;
  readonly byCause: Readonly<Record<string, number>>;
}

const counts = new Map<string, number>();
let total = 0;

export function countHostTrip(cause: string): void {
  counts.set(cause, (counts.get(cause) ?? 0) + 1);
  total++;
}

export function hostTrips(): HostTripCounts {
  return { total, byCause: Object.fromEntries(counts) };
}
