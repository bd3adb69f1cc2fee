// vitest 5 targets Node >= 22.12. On Node 20 its main process calls Map.groupBy (printing failed
// tests), Object.groupBy (writing snapshots) and Promise.withResolvers (watch mode), which Node 20
// lacks. Imported from vitest.config.ts, which runs in the main process before any reporter.
type GroupBy = <K, T>(items: Iterable<T>, key: (item: T, index: number) => K) => Map<K, T[]>;

if (typeof (Map as unknown as { groupBy?: GroupBy }).groupBy !== 'function') {
  const groupBy: GroupBy = (items, key) => {
    const out = new Map();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      const bucket = out.get(k);
      if (bucket) bucket.push(item);
      else out.set(k, [item]);
    }
    return out;
  };
  Object.defineProperty(Map, 'groupBy', { value: groupBy, writable: true, configurable: true });
}

if (typeof (Object as unknown as { groupBy?: unknown }).groupBy !== 'function') {
  const groupBy = <T>(items: Iterable<T>, key: (item: T, index: number) => PropertyKey): Record<PropertyKey, T[]> => {
    const out: Record<PropertyKey, T[]> = Object.create(null);
    let i = 0;
    for (const item of items) (out[key(item, i++)] ??= []).push(item);
    return out;
  };
  Object.defineProperty(Object, 'groupBy', { value: groupBy, writable: true, configurable: true });
}

if (typeof (Promise as unknown as { withResolvers?: unknown }).withResolvers !== 'function') {
  const withResolvers = <T>() => {
    let resolve!: (value: T | PromiseLike<T>) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
  Object.defineProperty(Promise, 'withResolvers', { value: withResolvers, writable: true, configurable: true });
}
