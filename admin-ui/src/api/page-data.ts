/**
 * The data AdminPage.php prints before the app (`window.keycrmSyncAdmin`): URLs and the current
 * user's login. It never contains the API key.
 */
import * as z from 'zod/mini';

export const PageData = z.object( {
	restRoot: z._default( z.string(), '/wp-json/' ),
	siteUrl: z._default( z.string(), '' ),
	adminUrl: z._default( z.string(), '/wp-admin/' ),
	productsUrl: z._default(
		z.string(),
		'/wp-admin/edit.php?post_type=product'
	),
	profileUrl: z._default( z.string(), '/wp-admin/profile.php' ),
	userLogin: z._default( z.string(), '' ),
	/** Login of the dedicated sender user (Permissions::SENDER_LOGIN). */
	senderLogin: z._default( z.string(), 'keycrm-sync-sender' ),
	/** The current user may create the sender user (administrators). */
	canCreateSender: z._default( z.boolean(), false ),
	/** The current user may make a new webhook secret (manage_options). */
	canRotateWebhook: z._default( z.boolean(), false ),
	appPasswords: z._default( z.boolean(), true ),
	/** WooCommerce prints its header (with the page title) above the app. */
	wcHeader: z._default( z.boolean(), false ),
	pluginVersion: z._default( z.string(), '' ),
} );
export type PageData = z.infer< typeof PageData >;

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
