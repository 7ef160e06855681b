<?php
/**
 * Registers the REST controllers of namespace keycrm-sync/v1.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Rest;

use KeyCrmSync\Exception\StorageFailed;
use KeyCrmSync\Http\Routes;
use KeyCrmSync\Infrastructure\Registerable;

/**
 * Adds every controller's routes on rest_api_init.
 */
final class RestRoutes implements Registerable {

	/** REST namespace of the plugin. */
	public const NAMESPACE = Routes::NAMESPACE;

	/**
	 * Constructor.
	 *
	 * @param list<object> $controllers Objects with a register_routes() method.
	 */
	public function __construct( private array $controllers ) {
	}

	/**
	 * Adds the hook.
	 */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
	}

	/**
	 * rest_api_init callback.
	 */
	public function register_routes(): void {
		foreach ( $this->controllers as $controller ) {
			$controller->register_routes();
		}
	}

	/**
	 * A storage failure as a 500 WP_Error: the database's error text goes to the PHP error log,
	 * the answer only says that storing failed.
	 *
	 * @param StorageFailed $e Failure.
	 */
	public static function storage_error( StorageFailed $e ): \WP_Error {
		error_log( $e->getMessage() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- the reason must be findable by the shop's admin.
		return new \WP_Error( 'keycrm_sync_storage_failed', 'keyCRM Sync could not write to the database; the reason is in the PHP error log.', array( 'status' => 500 ) );
	}
}
