<?php
/**
 * POST /sender-user: the dedicated sender user and its application password.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Rest;

use KeyCrmSync\Http\Permissions;

/**
 * Creates (once) the user Permissions::SENDER_LOGIN with the sender role, replaces its
 * application password and returns the new one (shown once). Only administrators (create_users):
 * whoever holds that password can read the keyCRM API key through the sender routes.
 */
final class SenderUserController {

	/** Name of the sender's application password. */
	public const APP_NAME = 'keyCRM Sync sender';

	/**
	 * Registers the route.
	 */
	public function register_routes(): void {
		register_rest_route(
			RestRoutes::NAMESPACE,
			'/sender-user',
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'create' ),
				'permission_callback' => array( $this, 'permission' ),
			)
		);
	}

	/**
	 * Administrators only.
	 *
	 * @return true|\WP_Error
	 */
	public function permission() {
		$admin = Permissions::admin();
		if ( true !== $admin ) {
			return $admin;
		}
		if ( ! current_user_can( 'create_users' ) ) {
			return new \WP_Error( 'keycrm_sync_forbidden', __( 'Only an administrator can create the sender user.', 'keycrm-sync' ), array( 'status' => 403 ) );
		}
		return true;
	}

	/**
	 * Creates the user if needed and a new application password (the old one is revoked).
	 *
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function create() {
		Permissions::ensure_sender_role();
		$user = get_user_by( 'login', Permissions::SENDER_LOGIN );
		if ( false === $user ) {
			$id = wp_insert_user(
				array(
					'user_login'   => Permissions::SENDER_LOGIN,
					'user_pass'    => wp_generate_password( 32, true, true ),
					'display_name' => 'keyCRM Sync sender',
					'role'         => Permissions::SENDER_ROLE,
				)
			);
			if ( is_wp_error( $id ) ) {
				return new \WP_Error( 'keycrm_sync_sender_user_failed', __( 'Could not create the sender user.', 'keycrm-sync' ), array( 'status' => 500 ) );
			}
			$user = get_user_by( 'id', $id );
		} elseif ( array( Permissions::SENDER_ROLE ) !== array_values( $user->roles ) ) {
			return new \WP_Error( 'keycrm_sync_sender_login_taken', sprintf( /* translators: %s: user login. */ __( 'A user "%s" exists with another role; rename it first.', 'keycrm-sync' ), Permissions::SENDER_LOGIN ), array( 'status' => 409 ) );
		}
		if ( ! $user instanceof \WP_User || ! wp_is_application_passwords_available_for_user( $user ) ) {
			return new \WP_Error( 'keycrm_sync_app_passwords_off', __( 'Application passwords are disabled on this site (they need HTTPS or a local environment).', 'keycrm-sync' ), array( 'status' => 409 ) );
		}
		foreach ( \WP_Application_Passwords::get_user_application_passwords( $user->ID ) as $old ) {
			if ( self::APP_NAME === $old['name'] ) {
				\WP_Application_Passwords::delete_application_password( $user->ID, $old['uuid'] );
			}
		}
		$created = \WP_Application_Passwords::create_new_application_password( $user->ID, array( 'name' => self::APP_NAME ) );
		if ( is_wp_error( $created ) ) {
			return new \WP_Error( 'keycrm_sync_sender_password_failed', __( 'Could not create the application password.', 'keycrm-sync' ), array( 'status' => 500 ) );
		}
		return new \WP_REST_Response(
			array(
				'user_login' => $user->user_login,
				'password'   => $created[0],
			),
			201
		);
	}
}
