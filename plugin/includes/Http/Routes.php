<?php
/**
 * What every REST route of the plugin shares: its namespace, the admin permission, paging.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Http;

/**
 * Registration helpers for the routes under keycrm-sync/v1.
 */
final class Routes {

	/** REST namespace of the plugin. */
	public const NAMESPACE = 'keycrm-sync/v1';

	/**
	 * Registers one route that only shop managers and administrators may call.
	 *
	 * @param string                              $path     Route, e.g. "/items".
	 * @param string                              $method   HTTP method.
	 * @param callable                            $callback Handler.
	 * @param array<string, array<string, mixed>> $args     Args schema.
	 */
	public static function admin( string $path, string $method, callable $callback, array $args = array() ): void {
		register_rest_route(
			self::NAMESPACE,
			$path,
			array(
				'methods'             => $method,
				'callback'            => $callback,
				'permission_callback' => array( Permissions::class, 'admin' ),
				'args'                => $args,
			)
		);
	}

	/**
	 * Args of a paged list: page (from 1) and per_page (1–100, 20 by default).
	 *
	 * @return array<string, array<string, mixed>>
	 */
	public static function paging(): array {
		return array(
			'page'     => array(
				'type'    => 'integer',
				'minimum' => 1,
				'default' => 1,
			),
			'per_page' => array(
				'type'    => 'integer',
				'minimum' => 1,
				'maximum' => 100,
				'default' => 20,
			),
		);
	}
}
