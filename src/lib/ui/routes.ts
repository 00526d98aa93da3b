/** Moved to state/routes.ts (issue 16); re-exported for the responsive and a11y e2e files. */
export * from '../state/routes.ts';
