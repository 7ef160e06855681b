<?php
/**
 * Runtime requirement checks (WooCommerce present and recent enough).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Install;

/**
 * Decides whether the plugin can run, and tells the admin when it cannot.
 */
final class Requirements {

	/**
	 * Returns a plain-words problem, or null when WooCommerce is usable.
	 */
	public static function problem(): ?string {
		if ( ! class_exists( 'WooCommerce' ) || ! defined( 'WC_VERSION' ) ) {
			return __( 'keyCRM Sync needs WooCommerce to be installed and active.', 'keycrm-sync' );
		}
		if ( version_compare( (string) WC_VERSION, KEYCRM_SYNC_MIN_WC, '<' ) ) {
			/* translators: 1: required WooCommerce version, 2: installed version. */
			return sprintf( __( 'keyCRM Sync needs WooCommerce %1$s or newer (installed: %2$s).', 'keycrm-sync' ), KEYCRM_SYNC_MIN_WC, (string) WC_VERSION );
		}
		return null;
	}

	/**
	 * Shows the problem as an admin notice to users who can act on it.
	 *
	 * @param string $problem Message from problem().
	 */
	public static function show_notice( string $problem ): void {
		add_action(
			'admin_notices',
			static function () use ( $problem ): void {
				if ( ! current_user_can( 'activate_plugins' ) ) {
					return;
				}
				printf( '<div class="notice notice-error"><p>%s</p></div>', esc_html( $problem ) );
			}
		);
	}
}
