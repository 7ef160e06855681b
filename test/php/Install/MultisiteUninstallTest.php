<?php
/**
 * Uninstall on a real subdirectory multisite network (bin/multisite.php: the test site's
 * WordPress files, the same MariaDB, its own table prefix), the plugin network-activated.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Install;

use PHPUnit\Framework\TestCase;

final class MultisiteUninstallTest extends TestCase {

	private string $config = '';

	protected function setUp(): void {
		$this->drop_network();
		$this->config = (string) getenv( 'KCS_TEST_TMP' ) . '/multisite-config.php';
		$defines      = '';
		foreach ( array( 'DB_NAME', 'DB_USER', 'DB_PASSWORD', 'DB_HOST', 'DB_CHARSET', 'DB_COLLATE', 'AUTH_KEY', 'SECURE_AUTH_KEY', 'LOGGED_IN_KEY', 'NONCE_KEY', 'AUTH_SALT', 'SECURE_AUTH_SALT', 'LOGGED_IN_SALT', 'NONCE_SALT' ) as $name ) {
			$defines .= sprintf( "define( %s, %s );\n", var_export( $name, true ), var_export( defined( $name ) ? constant( $name ) : '', true ) ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_var_export
		}
		file_put_contents( $this->config, "<?php\n" . $defines );
	}

	protected function tearDown(): void {
		$this->drop_network();
	}

	public function test_uninstall_cleans_every_site_of_the_network(): void {
		$this->assertSame( 'ok', $this->phase( 'install' ) );
		$this->assertSame( 'ok', $this->phase( 'populate' ) );
		$before = json_decode( $this->phase( 'report' ), true );
		$this->assertCount( 2, $before['sites'], wp_json_encode( $before ) );
		foreach ( $before['sites'] as $id => $site ) {
			$this->assertNotEmpty( $site['tables'], "site $id has the plugin's tables" );
			$this->assertContains( 'keycrm_sync_settings', $site['options'], "site $id" );
			$this->assertTrue( $site['cron'], "site $id" );
			$this->assertTrue( $site['role'], "site $id" );
		}
		$this->assertTrue( $before['sender'] );
		$this->assertSame( 1, $before['passwords'] );

		$this->assertSame( 'ok', $this->phase( 'uninstall' ) );
		$after = json_decode( $this->phase( 'report' ), true );
		$this->assertCount( 2, $after['sites'] );
		foreach ( $after['sites'] as $id => $site ) {
			$this->assertSame(
				array(
					'tables'  => array(),
					'options' => array(),
					'cron'    => false,
					'role'    => false,
				),
				$site,
				"site $id is clean"
			);
		}
		$this->assertFalse( $after['sender'], 'the sender user is gone' );
		$this->assertSame( 0, $after['passwords'], 'and its application passwords' );
	}

	/**
	 * Runs one phase of bin/multisite.php in its own PHP process.
	 *
	 * @param string $phase Phase.
	 */
	private function phase( string $phase ): string {
		$out = shell_exec( escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( dirname( __DIR__ ) . '/bin/multisite.php' ) . ' ' . escapeshellarg( $this->config ) . ' ' . $phase . ' 2>&1' );
		return trim( (string) $out );
	}

	/**
	 * Drops every table of the network (prefix kms_).
	 */
	private function drop_network(): void {
		global $wpdb;
		foreach ( $wpdb->get_col( "SHOW TABLES LIKE 'kms\\_%'" ) as $table ) {
			$wpdb->query( 'DROP TABLE `' . $table . '`' ); // phpcs:ignore
		}
	}
}
