<?php
/**
 * Activation, schema upgrade, uninstall, and life without WooCommerce.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Install;

use KeyCrmSync\Install\Installer;
use KeyCrmSync\Outbox\OutboxTable;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Tests\TestCase;

final class LifecycleTest extends TestCase {

	public function test_activation_created_the_table_settings_and_a_webhook_secret(): void {
		$this->assertSame( OutboxTable::SCHEMA_VERSION, (int) get_option( OutboxTable::VERSION_OPTION ) );
		$secret = ( new Settings() )->webhook_secret();
		$this->assertMatchesRegularExpression( '/^[0-9a-f]{64}$/', $secret );
	}

	public function test_an_older_schema_is_upgraded_with_dbdelta(): void {
		global $wpdb;
		$table = OutboxTable::name();
		$wpdb->query( "ALTER TABLE {$table} DROP COLUMN reclaimed, DROP COLUMN dirty_since" );
		update_option( OutboxTable::VERSION_OPTION, 1 );
		Installer::maybe_upgrade();
		$this->assertSame( OutboxTable::SCHEMA_VERSION, (int) get_option( OutboxTable::VERSION_OPTION ) );
		$this->assertNotNull( $wpdb->get_row( "SHOW COLUMNS FROM {$table} LIKE 'reclaimed'" ) );
		$this->assertNotNull( $wpdb->get_row( "SHOW COLUMNS FROM {$table} LIKE 'dirty_since'" ) );
	}

	public function test_without_woocommerce_the_plugin_shows_a_notice_and_registers_nothing(): void {
		$out    = shell_exec( escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( dirname( __DIR__ ) . '/bin/boot-without-wc.php' ) . ' 2>&1' );
		$report = json_decode( (string) $out, true );
		$this->assertIsArray( $report, (string) $out );
		$this->assertFalse( $report['woocommerce'] );
		$this->assertSame( array(), $report['routes'] );
		$this->assertStringContainsString( 'keyCRM Sync needs WooCommerce', $report['notices'] );
	}

	public function test_deactivation_clears_scheduled_events_and_the_sender_password(): void {
		\KeyCrmSync\Http\Permissions::ensure_sender_role();
		$sender = get_user_by( 'login', \KeyCrmSync\Http\Permissions::SENDER_LOGIN );
		$id     = $sender ? $sender->ID : wp_insert_user(
			array(
				'user_login' => \KeyCrmSync\Http\Permissions::SENDER_LOGIN,
				'user_pass'  => wp_generate_password(),
				'role'       => \KeyCrmSync\Http\Permissions::SENDER_ROLE,
			)
		);
		\WP_Application_Passwords::create_new_application_password( $id, array( 'name' => 'keyCRM Sync sender' ) );
		wp_schedule_single_event( time() + 60, \KeyCrmSync\StockSource\StockReceiver::CRON_HOOK );
		Installer::deactivate();
		$this->assertFalse( wp_next_scheduled( \KeyCrmSync\StockSource\StockReceiver::CRON_HOOK ) );
		$this->assertSame( array(), \WP_Application_Passwords::get_user_application_passwords( $id ) );
		$this->assertNotFalse( has_action( 'deactivate_keycrm-sync/keycrm-sync.php' ), 'the hook is registered' );
	}

	public function test_uninstall_removes_the_table_and_every_option(): void {
		set_transient( 'keycrm_sync_problem_count', 3, 60 );
		$out    = shell_exec( escapeshellarg( PHP_BINARY ) . ' ' . escapeshellarg( dirname( __DIR__ ) . '/bin/uninstall.php' ) . ' 2>&1' );
		$report = json_decode( (string) $out, true );
		Installer::activate(); // Restore for the other tests.
		if ( class_exists( \KeyCrmSync\StockSource\StockSourceSchema::class ) ) {
			( new \KeyCrmSync\StockSource\StockSourceSchema() )->install();
		}
		$this->assertIsArray( $report, (string) $out );
		$this->assertNull( $report['table'] );
		$this->assertSame( array(), $report['options'] );
		$this->assertFalse( $report['sender'], 'the sender user is deleted' );
		$this->assertFalse( $report['role'], 'the sender role is removed' );
	}
}
