/**
 * The plugin's REST contract (namespace `keycrm-sync/v1`), as zod schemas.
 *
 * These schemas are the single source of truth for every JSON shape that
 * crosses the plugin's REST boundary: the sender (src/sender) and the admin UI
 * (admin-ui/) parse every response with them, and the PHP REST controllers
 * (plugin/includes/Rest) produce exactly these shapes. Tests parse JSON
 * captured from the real plugin with them, so drift fails a test.
 *
 * Conventions: snake_case keys (WordPress REST style), timestamps as ISO-8601
 * UTC strings (`2026-11-27T15:28:07Z`), absent values as `null` (never omitted
 * in responses), quantities as numbers.
 *
 * The schemas live by area: settings.ts (settings), worker.ts (the sender's
 * claim and ack routes), admin.ts (admin routes and the error body every
 * route fails with) and stock-source.ts (keyCRM → shop stock and drift).
 * Code in src/ imports this file relatively; the admin UI, the tests and the
 * tools import `@keycrm-sync/contract` (index.ts).
 */
export * from './settings.js';
export * from './worker.js';
export * from './admin.js';
export * from './stock-source.js';
