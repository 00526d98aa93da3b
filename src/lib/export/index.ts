/** Export and import: the paper-layout CSV and the whole-project zip bundle. */
export { moviesToPaperCsv, neutralizeCell, PAPER_COLUMNS } from './paper-csv.ts';
export {
  exportBundle,
  importBundle,
  BUNDLE_SETTING_KEYS,
  type BundleSource,
  type BundleSink,
  type BundleImportResult,
} from './bundle.ts';
