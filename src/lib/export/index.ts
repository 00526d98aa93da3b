/** Export and import: the paper-layout CSV and the whole-project zip bundle (streamed). */
export { moviesToPaperCsv, PAPER_COLUMNS } from './paper-csv.ts';
export {
  exportBundle,
  importBundle,
  BUNDLE_SETTING_KEYS,
  type BundleSource,
  type BundleTarget,
  type BundleImportResult,
  type BundleStreamOptions,
} from './bundle.ts';
export { BlobSink, fileHandleSink, type ByteSink } from './sinks.ts';
