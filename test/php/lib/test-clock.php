<?php
/**
 * Plugin Name: keyCRM Sync test clock
 * Description: Test sites only. While the `kcs_test_clock` option holds a Unix timestamp, the plugin's
 * clock (KeyCrmSync\Infrastructure\Clock) stands at that time, so that a test moves time instead of
 * sleeping. test/php/lib/site.sh links it into the test site's mu-plugins: the php -S server and the
 * PHPUnit process (which loads the same site) read the same time.
 *
 * @package KeyCrmSync\Tests
 */

add_filter(
	'keycrm_sync_now',
	static function ( int $now ): int {
		$frozen = get_option( 'kcs_test_clock' );
		return is_numeric( $frozen ) ? (int) $frozen : $now;
	}
);
