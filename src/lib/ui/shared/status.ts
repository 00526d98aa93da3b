/** What the status bar says about compute. Pure. */

/** The compute label: the tfjs backend in use, one being chosen, or none (yet). */
export function describeCompute(
  chosen: string | null,
  starting: boolean,
  workers: Readonly<Record<string, string>> = {},
): string {
  if (chosen) return chosen;
  const [who, backend] = Object.entries(workers)[0] ?? [];
  if (who && backend) return `${backend} (${who})`;
  // Metadata models (logistic, SVM, forest…) run in plain JavaScript: no tfjs backend is needed.
  return starting ? 'choosing a backend…' : 'none chosen yet (JS models need none)';
}
