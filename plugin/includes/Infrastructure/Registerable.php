<?php
/**
 * Services that add WordPress hooks.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Infrastructure;

/**
 * A service whose hooks are added in register(), never in its constructor.
 */
interface Registerable {

	/**
	 * Adds the service's hooks.
	 */
	public function register(): void;
}
