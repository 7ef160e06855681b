<?php
/**
 * PUT /settings (an administrator's application password, real HTTP) fed bad values: every one is
 * refused with a 400 and the stored settings stay as they were; unknown fields are ignored.
 * (The keyCRM API root is not a setting, it is the KEYCRM_SYNC_API_URL constant.)
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Faults;

use KeyCrmSync\Tests\StockSource\StockSourceTestCase;

require_once dirname( __DIR__ ) . '/StockSource/StockSourceTestCase.php';
require_once __DIR__ . '/FaultFigures.php';

final class SettingsFaultsTest extends StockSourceTestCase {

	private const BOUNDARY = 'settings REST (admin)';

	public function test_bad_values_are_refused_and_nothing_is_stored(): void {
		$this->use_settings(
			array(
				'api_key'         => 'good-key',
				'warehouse_id'    => 3,
				'rate_per_minute' => 50,
			)
		);
		$before = $this->settings()->all();
		$bad    = array(
			'api key of spaces'                  => array( 'api_key' => '     ' ),
			'api key of 10 KB'                   => array( 'api_key' => str_repeat( 'k', 10240 ) ),
			'api key with a NUL'                 => array( 'api_key' => "key\0tail" ),
			'api key with a line break'          => array( 'api_key' => "key\r\nX-Injected: 1" ),
			'api key with a tab inside'          => array( 'api_key' => "key\tkey" ),
			'api key in Cyrillic'                => array( 'api_key' => 'ключ' ),
			'api key a number'                   => array( 'api_key' => 12345 ),
			'api key a list'                     => array( 'api_key' => array( 'a' ) ),
			'api key null'                       => array( 'api_key' => null ),
			'warehouse id "abc"'                 => array( 'warehouse_id' => 'abc' ),
			'warehouse id -1'                    => array( 'warehouse_id' => -1 ),
			'warehouse id 0'                     => array( 'warehouse_id' => 0 ),
			'warehouse id 1.5'                   => array( 'warehouse_id' => 1.5 ),
			'warehouse id 1e30'                  => array( 'warehouse_id' => 1e30 ),
			'warehouse id "1; DROP TABLE"'       => array( 'warehouse_id' => '1; DROP TABLE wp_options' ),
			'warehouse id true'                  => array( 'warehouse_id' => true ),
			'warehouse id a list'                => array( 'warehouse_id' => array( 1 ) ),
			'rate per minute 0'                  => array( 'rate_per_minute' => 0 ),
			'rate per minute 61'                 => array( 'rate_per_minute' => 61 ),
			'rate per minute "fast"'             => array( 'rate_per_minute' => 'fast' ),
			'pull interval a billion minutes'    => array( 'pull_interval_minutes' => 1000000000 ),
			'stock source "both"'                => array( 'stock_source' => 'both' ),
			'sync prices "maybe"'                => array( 'sync_prices' => 'maybe' ),
			'one bad field beside a good one'    => array(
				'warehouse_id'    => 7,
				'rate_per_minute' => 'fast',
			),
		);
		foreach ( $bad as $label => $body ) {
			$r = $this->http( 'PUT', '/settings', (string) wp_json_encode( $body ) );
			$this->assertSame( 400, $r['status'], $label . ': ' . $r['body'] );
			wp_cache_flush();
			$this->assertSame( $before, $this->settings()->all(), $label . ': nothing stored' );
			FaultFigures::record( self::BOUNDARY, $label, 'error' );
		}
		foreach ( array( 'malformed JSON' => '{"warehouse_id":', 'a JSON list' => '[1,2]', 'JSON null' => 'null' ) as $label => $raw ) {
			$r = $this->http( 'PUT', '/settings', $raw );
			$this->assertContains( $r['status'], array( 200, 400 ), $label . ': ' . $r['body'] );
			wp_cache_flush();
			$this->assertSame( $before, $this->settings()->all(), $label . ': nothing stored' );
			FaultFigures::record( self::BOUNDARY, $label, 400 === $r['status'] ? 'error' : 'skip' );
		}
		$r = $this->http( 'PUT', '/settings', (string) wp_json_encode( array( 'no_such_setting' => 'x', 'autoload' => 'yes' ) ) );
		$this->assertSame( 200, $r['status'], $r['body'] );
		wp_cache_flush();
		$this->assertSame( $before, $this->settings()->all(), 'unknown fields are ignored' );
		$this->assertArrayNotHasKey( 'no_such_setting', (array) get_option( \KeyCrmSync\Settings\Settings::OPTION ) );
		FaultFigures::record( self::BOUNDARY, 'unknown fields', 'skip' );
		$r = $this->http( 'PUT', '/settings', (string) wp_json_encode( array( 'api_key' => '  new-key  ' ) ) );
		$this->assertSame( 200, $r['status'], $r['body'] );
		wp_cache_flush();
		$this->assertSame( 'new-key', $this->settings()->all()['api_key'], 'spaces around a key are trimmed' );
		FaultFigures::record( self::BOUNDARY, 'api key with spaces around it (trimmed)', 'accepted' );
	}
}
