<?php
/**
 * POST /settings/webhook-secret: a new webhook secret, shown once.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Rest;

use KeyCrmSync\Http\Permissions;
use KeyCrmSync\Settings\Settings;

/**
 * Rotates the secret of keyCRM's stock webhook and answers with it and the full webhook URL:
 * the only time either leaves the server (GET /settings says only whether one is set). The old
 * URL stops working at once. Administrators only (manage_options): whoever holds the URL can set
 * the stock of every product, so a shop manager cannot make or read it.
 */
final class WebhookSecretController {

	/**
	 * @param Settings $settings Settings.
	 */
	public function __construct( private Settings $settings ) {
	}

	/**
	 * Registers the route.
	 */
	public function register_routes(): void {
		register_rest_route(
			RestRoutes::NAMESPACE,
			'/settings/webhook-secret',
			array(
				'methods'             => 'POST',
				'callback'            => array( $this, 'rotate' ),
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
		if ( ! current_user_can( 'manage_options' ) ) {
			return new \WP_Error( 'keycrm_sync_forbidden', __( 'Only an administrator can create the webhook secret.', 'keycrm-sync' ), array( 'status' => 403 ) );
		}
		return true;
	}

	/**
	 * Stores a new random secret and returns it with the webhook URL (WebhookSecretResponse).
	 */
	public function rotate(): \WP_REST_Response {
		$secret   = $this->settings->rotate_webhook_secret();
		$response = new \WP_REST_Response(
			array(
				'webhook_secret' => $secret,
				'webhook_url'    => $this->settings->webhook_url(),
			),
			201
		);
		$response->header( 'Cache-Control', 'no-store' );
		return $response;
	}
}
