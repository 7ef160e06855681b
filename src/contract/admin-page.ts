/**
 * The data the admin page prints before the app (`window.keycrmSyncAdmin`,
 * plugin/includes/Admin/AdminPage.php `inline_data()`): URLs, the current
 * user's login and what they may do. It never contains the API key. Every
 * field has a default, so a missing or older value still gives a usable page.
 *
 * It lives with the REST schemas so that the admin app reaches zod through
 * this module only (one concatenated module in the webpack build; a second
 * importer of zod splits it into separately wrapped modules).
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
