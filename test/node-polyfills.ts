/**
 * Vitest 5's reporter calls Map.groupBy, which Node 20 lacks (it arrived in Node 21); the
 * machines here run Node 20.20, so the config installs this spec-shaped polyfill first.
 */
const MapCtor = Map as unknown as { groupBy?: unknown };
if (typeof MapCtor.groupBy !== 'function') {
  MapCtor.groupBy = <K, T>(items: Iterable<T>, key: (item: T, index: number) => K): Map<K, T[]> => {
    const out = new Map<K, T[]>();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      const list = out.get(k);
      if (list) list.push(item);
      else out.set(k, [item]);
    }
    return out;
  };
}
