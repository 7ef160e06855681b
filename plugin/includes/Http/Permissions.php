<?php
/**
 * Who may call which route.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Http;

/**
 * Admin routes: a logged-in user with manage_woocommerce (WordPress core already refuses
 * cookie authentication without a valid REST nonce). Sender routes (they hand out the keyCRM API
 * key): only requests authenticated by an application password of the sender user (role
 * SENDER_ROLE, capability SENDER_CAPABILITY, created by the Settings screen) or of an
 * administrator, who can read the key from the database anyway; a shop manager's application
 * password is refused, and a browser session is refused even with a nonce, so a page script can
 * never fetch the key.
 */
final class Permissions {

	/** Capability every route requires. */
	public const CAPABILITY = 'manage_woocommerce';

	/** Capability of the sender routes. */
	public const SENDER_CAPABILITY = 'keycrm_sync_send';

	/** Role holding only SENDER_CAPABILITY (and read). */
	public const SENDER_ROLE = 'keycrm_sync_sender';

	/** Login of the sender user the Settings screen creates. */
	public const SENDER_LOGIN = 'keycrm-sync-sender';

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
		if ( ! current_user_can( self::SENDER_CAPABILITY ) && ! current_user_can( 'manage_options' ) ) {
			return new \WP_Error( 'keycrm_sync_forbidden', __( 'The application password must belong to the keyCRM Sync sender user (create it on the Settings screen) or to an administrator.', 'keycrm-sync' ), array( 'status' => 403 ) );
		}
		return true;
	}

	/**
	 * Adds the sender role when it is missing (activation, and before the sender user is made).
	 */
	public static function ensure_sender_role(): void {
		if ( null === get_role( self::SENDER_ROLE ) ) {
			add_role(
				self::SENDER_ROLE,
				'keyCRM Sync sender',
				array(
					'read'                  => true,
					self::SENDER_CAPABILITY => true,
				)
			);
		}
	}
}
