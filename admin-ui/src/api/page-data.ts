/**
 * The data AdminPage.php prints before the app (`window.keycrmSyncAdmin`): URLs and the current
 * user's login. It never contains the API key.
 */
import { z } from 'zod';

export const PageData = z.object( {
	restRoot: z.string().default( '/wp-json/' ),
	siteUrl: z.string().default( '' ),
	adminUrl: z.string().default( '/wp-admin/' ),
	productsUrl: z.string().default( '/wp-admin/edit.php?post_type=product' ),
	profileUrl: z.string().default( '/wp-admin/profile.php' ),
	userLogin: z.string().default( '' ),
	/** Login of the dedicated sender user (Permissions::SENDER_LOGIN). */
	senderLogin: z.string().default( 'keycrm-sync-sender' ),
	/** The current user may create the sender user (administrators). */
	canCreateSender: z.boolean().default( false ),
	/** The current user may make a new webhook secret (manage_options). */
	canRotateWebhook: z.boolean().default( false ),
	appPasswords: z.boolean().default( true ),
	/** WooCommerce prints its header (with the page title) above the app. */
	wcHeader: z.boolean().default( false ),
	pluginVersion: z.string().default( '' ),
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
