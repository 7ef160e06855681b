<?php
/**
 * GET /worker/settings: what `keycrm-sync doctor` checks, without claiming work.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Rest;

use KeyCrmSync\Http\Permissions;
use KeyCrmSync\Problems\ProblemFinder;
use KeyCrmSync\Settings\Settings;

/**
 * A sender route (Permissions::sender): the sender's settings (with the API key, as a claim
 * carries them) and the first page of SKU problems. It leases nothing and leaves the heartbeat
 * alone, so running `doctor` never shows "sender online" nor holds SKUs back.
 */
final class SenderSettingsController {

	/**
	 * Constructor.
	 *
	 * @param Settings      $settings Settings.
	 * @param ProblemFinder $problems SKU problems.
	 */
	public function __construct( private Settings $settings, private ProblemFinder $problems ) {
	}

	/**
	 * Registers the route.
	 */
	public function register_routes(): void {
		register_rest_route(
			RestRoutes::NAMESPACE,
			'/worker/settings',
			array(
				'methods'             => 'GET',
				'callback'            => array( $this, 'get' ),
				'permission_callback' => array( Permissions::class, 'sender' ),
			)
		);
	}

	/**
	 * GET /worker/settings.
	 */
	public function get(): \WP_REST_Response {
		return new \WP_REST_Response(
			array(
				'settings' => $this->settings->sender(),
				'problems' => $this->problems->page( 1, 20 ) + array(
					'page'     => 1,
					'per_page' => 20,
				),
			)
		);
	}
}
