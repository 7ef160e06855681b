<?php
/**
 * GET and PUT /settings.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Rest;

use KeyCrmSync\Http\Permissions;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Settings\SettingsSchema;

/**
 * Settings for admins. The API key is write-only and the webhook secret is never read or written
 * here: responses carry `api_key_set` and `webhook_secret_set` only (the secret is made, and
 * shown once, by WebhookSecretController).
 */
final class SettingsController {

	/**
	 * Constructor.
	 *
	 * @param Settings $settings Settings.
	 */
	public function __construct( private Settings $settings ) {
	}

	/**
	 * Registers the routes.
	 */
	public function register_routes(): void {
		register_rest_route(
			RestRoutes::NAMESPACE,
			'/settings',
			array(
				array(
					'methods'             => 'GET',
					'callback'            => array( $this, 'read' ),
					'permission_callback' => array( Permissions::class, 'admin' ),
				),
				array(
					'methods'             => 'PUT',
					'callback'            => array( $this, 'update' ),
					'permission_callback' => array( Permissions::class, 'admin' ),
					'args'                => SettingsSchema::args(),
				),
			)
		);
	}

	/**
	 * GET /settings.
	 */
	public function read(): \WP_REST_Response {
		return new \WP_REST_Response( $this->settings->public() );
	}

	/**
	 * PUT /settings: stores the given fields (already validated by the args schema).
	 *
	 * @param \WP_REST_Request $request Request.
	 * @return \WP_REST_Response|\WP_Error
	 */
	public function update( \WP_REST_Request $request ) {
		$values = array();
		foreach ( array_keys( SettingsSchema::args() ) as $key ) {
			if ( $request->has_param( $key ) ) {
				$values[ $key ] = $request->get_param( $key );
			}
		}
		if ( isset( $values['api_key'] ) ) {
			$given             = (string) $values['api_key'];
			$values['api_key'] = trim( $given );
			// "" clears the key; a key of spaces is a mistake, not a request to clear it.
			if ( '' !== $given && 1 !== preg_match( '/^[\x21-\x7E]+$/', $values['api_key'] ) ) {
				return new \WP_Error(
					'rest_invalid_param',
					__( 'The API key may contain only visible ASCII characters.', 'keycrm-sync' ),
					array(
						'status' => 400,
						'params' => array( 'api_key' => 'invalid' ),
					)
				);
			}
		}
		$before = $this->settings->all();
		$this->settings->update( $values );
		$after   = $this->settings->all();
		$requeue = new \KeyCrmSync\Outbox\SettingsRequeue();
		if ( $after['untracked_stock'] !== $before['untracked_stock'] ) {
			$requeue->untracked_stock();
		}
		$statuses = array_merge( array_diff( (array) $after['sync_statuses'], (array) $before['sync_statuses'] ), array_diff( (array) $before['sync_statuses'], (array) $after['sync_statuses'] ) );
		if ( array() !== $statuses ) {
			$requeue->statuses( $statuses );
		}
		if ( (bool) $after['create_external'] !== (bool) $before['create_external'] ) {
			$requeue->external();
		}
		return new \WP_REST_Response( $this->settings->public() );
	}
}
