/**
 * The data AdminPage.php prints before the app (`window.keycrmSyncAdmin`), read with its schema
 * from the contract (src/contract/admin-page.ts).
 */
import { PageData } from '@keycrm-sync/contract';

export type { PageData };

/**
 * Reads and validates `window.keycrmSyncAdmin` (defaults when absent or malformed).
 *
 * @param source The global object to read from.
 */
export function readPageData( source: unknown = globalThis ): PageData {
	const raw =
		typeof source === 'object' &&
		source !== null &&
		'keycrmSyncAdmin' in source
			? ( source as { keycrmSyncAdmin: unknown } ).keycrmSyncAdmin
			: {};
	const parsed = PageData.safeParse( raw ?? {} );
	return parsed.success ? parsed.data : PageData.parse( {} );
}
