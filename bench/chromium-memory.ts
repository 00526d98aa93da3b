import { execFileSync } from 'node:child_process';

/** Resident memory (bytes) of a process and all its descendants, from `ps` (Linux). */
export function treeRssBytes(rootPid: number): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,rss='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number) as [number, number, number]);
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of rows) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const rss = new Map(rows.map(([pid, , kb]) => [pid, kb * 1024]));
  let total = 0;
  const stack = [rootPid];
  while (stack.length) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/** Samples treeRssBytes every intervalMs until stopped; returns the peak. */
export function sampleRss(rootPid: number, intervalMs = 200): { stop(): number } {
  let peak = treeRssBytes(rootPid);
  const timer = setInterval(() => (peak = Math.max(peak, treeRssBytes(rootPid))), intervalMs);
  return { stop: () => (clearInterval(timer), Math.max(peak, treeRssBytes(rootPid))) };
}

/** The pid of the Chromium browser process launched with `marker` among its arguments. */
export function findBrowserPid(marker: string): number {
  const rows = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).trim().split('\n');
  const own = rows.map((l) => l.trim()).filter((l) => l.includes(marker) && !l.includes('--type='));
  const pid = Number(own[0]?.split(/\s+/)[0]);
  if (!pid) throw new Error(`no Chromium process with ${marker}`);
  return pid;
}
