<?php
/**
 * Who may call which route.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Rest;

/**
 * Admin routes: a logged-in user with manage_woocommerce (WordPress core already refuses
 * cookie authentication without a valid REST nonce). Sender routes: only requests authenticated
 * by an application password of a manage_woocommerce user; a browser session is refused even
 * with a nonce, so a page script can never fetch the keyCRM API key.
 */
final class Permissions {

	/** Capability every route requires. */
	public const CAPABILITY = 'manage_woocommerce';

	/**
	 * permission_callback of the admin routes.
	 *
	 * @return true|\WP_Error
	 */
	public static function admin() {
		if ( ! is_user_logged_in() ) {
			return new \WP_Error( 'keycrm_sync_unauthenticated', __( 'You must be logged in.', 'keycrm-sync' ), array( 'status' => 401 ) );
		}
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return new \WP_Error( 'keycrm_sync_forbidden', __( 'You are not allowed to manage keyCRM Sync.', 'keycrm-sync' ), array( 'status' => 403 ) );
		}
		return true;
	}

	/**
	 * permission_callback of the sender routes.
	 *
	 * @return true|\WP_Error
	 */
	public static function sender() {
		if ( ! is_user_logged_in() ) {
			return new \WP_Error( 'keycrm_sync_unauthenticated', __( 'The sender must authenticate with an application password.', 'keycrm-sync' ), array( 'status' => 401 ) );
		}
		if ( null === rest_get_authenticated_app_password() ) {
			return new \WP_Error( 'keycrm_sync_app_password_required', __( 'This route accepts only application-password requests.', 'keycrm-sync' ), array( 'status' => 403 ) );
		}
		if ( ! current_user_can( self::CAPABILITY ) ) {
			return new \WP_Error( 'keycrm_sync_forbidden', __( 'The application password belongs to a user who cannot manage WooCommerce.', 'keycrm-sync' ), array( 'status' => 403 ) );
		}
		return true;
	}
}
