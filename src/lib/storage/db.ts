import { openDB } from 'idb';
import { unavailableError } from './errors.ts';
import { LibraryConnection, type Library } from './library.ts';
import { DATABASE_NAME, SCHEMA_VERSION, migrate, type MarqueeSchema } from './schema.ts';

/** Options of openLibrary. */
export interface OpenOptions {
  /** Database name; tests pass a unique one. */
  name?: string;
  /** Schema version to open; tests only (to build an older schema and then upgrade it). */
  version?: number;
  /** Another tab is upgrading the database: this connection has been closed, ask the user to reload. */
  onVersionChange?: () => void;
  /** Our upgrade waits for other tabs to close their connections. */
  onBlocked?: () => void;
}

const VERSION_CHANGE_MESSAGE =
  'Marquee was updated in another tab, so this tab closed its library connection. Reload the page.';

/** Opens (creating or upgrading as needed) the library database in a window or a worker. */
export async function openLibrary(options: OpenOptions = {}): Promise<Library> {
  const name = options.name ?? DATABASE_NAME;
  const version = options.version ?? SCHEMA_VERSION;
  if (typeof indexedDB === 'undefined' || indexedDB === null) {
    throw unavailableError(new Error('indexedDB is not defined in this context'));
  }
  // The callbacks below can fire while openDB is still pending, so they reach the connection through this box.
  const opened: { library?: LibraryConnection } = {};
  let db;
  try {
    db = await openDB<MarqueeSchema>(name, version, {
      upgrade: (database, oldVersion, newVersion, tx) =>
        migrate(database, oldVersion, newVersion ?? version, tx),
      blocked: () => options.onBlocked?.(),
      // Another connection wants a newer version: close ours so it can proceed, then tell the UI.
      blocking: () => {
        opened.library?.markClosed(VERSION_CHANGE_MESSAGE);
        options.onVersionChange?.();
      },
      terminated: () =>
        opened.library?.markClosed('The browser closed the library connection. Reload the page.'),
    });
  } catch (e) {
    throw unavailableError(e);
  }
  opened.library = new LibraryConnection(db, name);
  return opened.library;
}
