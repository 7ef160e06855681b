<?php
/**
 * keyCRM's stock webhook over real HTTP: secret, validation, store-then-apply, no echo.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\StockSource;

require_once __DIR__ . '/StockSourceTestCase.php';

use KeyCrmSync\StockSource\PullSchedule;

final class WebhookTest extends StockSourceTestCase {

	private const SECRET = 'test-secret-xxxxxxxxxxxxxxxxxxxx';

	public function test_wrong_or_missing_secret_is_refused_and_nothing_is_stored_or_applied(): void {
		$sku = self::sku( 'W' );
		$this->simple( $sku, 5 );
		$payload = array( array( 'offer_id' => 1, 'sku' => $sku, 'in_stock' => 9, 'in_reserve' => 0 ) );
		foreach ( array( null, '', 'wrong', substr( self::SECRET, 0, -1 ), self::SECRET . 'x' ) as $secret ) {
			$r = $this->webhook( $payload, $secret );
			$this->assertSame( 403, $r['status'], 'secret ' . var_export( $secret, true ) );
			$this->assertSame( 'keycrm_sync_bad_secret', $r['json']['code'] );
			self::fixture( 'webhook-bad-secret', $r['body'] );
		}
		$this->assertSame( 5, $this->stock( $sku ) );
		$this->assertSame( array(), $this->inbox() );
	}

	public function test_malformed_payload_is_refused_and_nothing_is_stored_or_applied(): void {
		$sku = self::sku( 'W' );
		$this->simple( $sku, 5 );
		$bodies = array(
			'{"sku":"' . $sku . '","in_stock":9}',
			'[{"sku":"' . $sku . '","in_stock":9,"in_reserve":0},{"sku":"other","in_stock":"many"}]',
			'not json',
			'[{"offer_id":1,"sku":12,"in_stock":9}]',
		);
		foreach ( $bodies as $body ) {
			$r = $this->webhook( $body, self::SECRET );
			$this->assertSame( 400, $r['status'], $body );
			// WordPress' REST server itself refuses a JSON content type with a body that is not JSON.
			$this->assertContains( $r['json']['code'], array( 'keycrm_sync_malformed_payload', 'rest_invalid_json' ) );
		}
		$big = wp_json_encode( array_fill( 0, 10001, array( 'sku' => $sku, 'in_stock' => 1 ) ) );
		$this->assertSame( 413, $this->webhook( $big, self::SECRET )['status'] );
		$this->assertSame( 5, $this->stock( $sku ), 'nothing applied' );
		$this->assertSame( array(), $this->inbox(), 'nothing stored' );
	}

	public function test_valid_payload_is_stored_applied_and_not_echoed(): void {
		$a = self::sku( 'A' );
		$b = self::sku( 'B' );
		$this->simple( $a, 5 );
		$this->simple( $b, 1 );
		$this->sync_all(); // keyCRM is known to hold the shop's values; the outbox is clean.
		$before = (int) $this->row( $a )->version;

		$r = $this->webhook(
			array(
				array( 'offer_id' => 11, 'sku' => $a, 'in_stock' => 9, 'in_reserve' => 2 ),
				array( 'offer_id' => 12, 'sku' => $b, 'in_stock' => 3.9, 'in_reserve' => 0 ),
				array( 'offer_id' => 13, 'sku' => 'NOT-IN-SHOP-' . $a, 'in_stock' => 4, 'in_reserve' => 0 ),
			),
			self::SECRET
		);
		$this->assertSame( 200, $r['status'], $r['body'] );
		self::fixture( 'webhook-applied', $r['body'] );
		// Counts of what was received only: nothing tells the caller which SKUs the shop has.
		$this->assertSame(
			array(
				'accepted' => true,
				'items'    => 3,
				'skipped'  => 0,
				'queued'   => false,
			),
			$r['json']
		);
		$this->assertStringNotContainsString( $a, $r['body'] );

		$this->assertSame( 7, $this->stock( $a ), 'available = in_stock − in_reserve' );
		$this->assertSame( 3, $this->stock( $b ), 'fractions round down' );
		$inbox = $this->inbox();
		$this->assertCount( 1, $inbox );
		$this->assertSame( 'applied', $inbox[0]['status'] );
		$this->assertSame( 'webhook', $inbox[0]['source'] );
		$this->assertSame( array( 'NOT-IN-SHOP-' . $a ), $this->remote( 'unknown' ) );

		// The capture layer saw the stock change (version bumped) but the row is already synced
		// with keyCRM's value: the sender has nothing to claim, so nothing goes back to keyCRM.
		$row = $this->row( $a );
		$this->assertGreaterThan( $before, (int) $row->version );
		$this->assertSame( (int) $row->version, (int) $row->synced_version );
		$this->assertSame( 7.0, (float) $row->pushed_stock );
		$this->assertSame( array(), $this->dirty_skus() );
		$this->assertSame( array(), $this->claim_items() );
	}

	public function test_items_without_sku_are_skipped_and_counted_and_the_rest_applied(): void {
		$a = self::sku( 'N' );
		$b = self::sku( 'N' );
		$this->simple( $a, 5 );
		$this->simple( $b, 5 );
		$r = $this->webhook(
			array(
				array( 'offer_id' => 1, 'sku' => $a, 'in_stock' => 9, 'in_reserve' => 0 ),
				array( 'offer_id' => 2, 'sku' => null, 'in_stock' => 4, 'in_reserve' => 0 ),
				array( 'offer_id' => 3, 'sku' => '', 'in_stock' => 4, 'in_reserve' => 0 ),
				array( 'offer_id' => 4, 'in_stock' => 4, 'in_reserve' => 0 ),
				array( 'offer_id' => 5, 'sku' => $b, 'in_stock' => 2, 'in_reserve' => 0 ),
			),
			self::SECRET
		);
		$this->assertSame( 200, $r['status'], $r['body'] );
		$this->assertSame( 2, $r['json']['items'] );
		$this->assertSame( 3, $r['json']['skipped'] );
		$this->assertSame( 9, $this->stock( $a ) );
		$this->assertSame( 2, $this->stock( $b ) );
	}

	public function test_a_queued_webhook_with_one_null_sku_applies_every_other_item(): void {
		$skus  = array();
		$items = array();
		for ( $i = 0; $i < 80; $i++ ) {
			$skus[ $i ] = self::sku( 'QN' );
			$this->simple( $skus[ $i ], 0 );
			$items[] = array( 'offer_id' => $i + 1, 'sku' => $skus[ $i ], 'in_stock' => 10 + $i, 'in_reserve' => 0 );
		}
		array_splice( $items, 40, 0, array( array( 'offer_id' => 999, 'sku' => null, 'in_stock' => 4, 'in_reserve' => 0 ) ) );
		$r = $this->webhook( $items, self::SECRET );
		$this->assertSame( 202, $r['status'], $r['body'] );
		$this->assertTrue( $r['json']['queued'], 'over the inline limit: applied by the action' );
		$this->assertSame( 80, $r['json']['items'] );
		$this->assertSame( 1, $r['json']['skipped'] );
		do_action( \KeyCrmSync\StockSource\StockReceiver::ACTION_HOOK );
		$this->assertSame( 'applied', $this->inbox()[0]['status'] );
		$wrong = array();
		foreach ( $skus as $i => $sku ) {
			if ( $this->stock( $sku ) !== 10 + $i ) {
				$wrong[ $sku ] = $this->stock( $sku );
			}
		}
		$this->assertSame( array(), $wrong, 'every item beside the null SKU applied' );
	}

	public function test_a_database_error_is_logged_and_answered_without_its_text(): void {
		global $wpdb;
		$sku   = self::sku( 'DB' );
		$table = \KeyCrmSync\StockSource\StockSourceSchema::inbox_table();
		$wpdb->query( "RENAME TABLE {$table} TO {$table}_away" ); // phpcs:ignore
		try {
			$r = $this->webhook( array( array( 'sku' => $sku, 'in_stock' => 1, 'in_reserve' => 0 ) ), self::SECRET );
		} finally {
			$wpdb->query( "RENAME TABLE {$table}_away TO {$table}" ); // phpcs:ignore
		}
		$this->assertSame( 500, $r['status'], $r['body'] );
		$this->assertSame( 'keycrm_sync_stock_not_applied', $r['json']['code'] );
		$this->assertStringNotContainsString( 'exist', $r['body'] );
		$this->assertStringNotContainsString( $table, $r['body'] );
		$this->assertStringContainsString( $table . "' doesn't exist", (string) file_get_contents( getenv( 'KCS_TEST_TMP' ) . '/logs/debug.log' ), 'the reason is in the log' );
	}

	public function test_total_mode_applies_in_stock(): void {
		$sku = self::sku( 'T' );
		$this->simple( $sku, 0 );
		$this->settings()->update( array( 'stock_apply' => 'total' ) );
		$r = $this->webhook( array( array( 'sku' => $sku, 'in_stock' => 6, 'in_reserve' => 4 ) ), self::SECRET );
		$this->assertSame( 200, $r['status'] );
		$this->assertSame( 6, $this->stock( $sku ) );
	}

	public function test_in_woocommerce_mode_the_webhook_is_not_applied(): void {
		$sku = self::sku( 'M' );
		$this->simple( $sku, 5 );
		$this->settings()->update( array( 'stock_source' => 'woocommerce' ) );
		$r = $this->webhook( array( array( 'sku' => $sku, 'in_stock' => 1, 'in_reserve' => 0 ) ), self::SECRET );
		$this->assertSame( 409, $r['status'] );
		$this->assertSame( 5, $this->stock( $sku ) );
		$this->assertSame( array(), $this->inbox() );
	}

	public function test_large_payload_is_stored_answered_at_once_and_applied_by_cron(): void {
		$sku   = self::sku( 'L' );
		$this->simple( $sku, 0 );
		$items = array( array( 'sku' => $sku, 'in_stock' => 8, 'in_reserve' => 0 ) );
		for ( $i = 0; $i < 300; $i++ ) {
			$items[] = array( 'sku' => 'GONE-' . $i . '-' . $sku, 'in_stock' => 1, 'in_reserve' => 0 );
		}
		$r = $this->webhook( $items, self::SECRET );
		$this->assertSame( 202, $r['status'] );
		self::fixture( 'webhook-queued', $r['body'] );
		$this->assertSame( array( 'accepted', 'items', 'skipped', 'queued' ), array_keys( $r['json'] ) );
		$this->assertStringNotContainsString( 'GONE-', $r['body'] );
		$this->assertTrue( $r['json']['queued'] );
		$this->assertSame( 0, $this->stock( $sku ), 'not applied within the request' );
		$this->assertSame( 'pending', $this->inbox()[0]['status'] );
		do_action( \KeyCrmSync\StockSource\StockReceiver::ACTION_HOOK );
		$this->assertSame( 8, $this->stock( $sku ) );
		$this->assertSame( 'applied', $this->inbox()[0]['status'] );
		$this->assertCount( 300, $this->remote( 'unknown' ) );
	}

	public function test_a_replayed_older_body_does_not_overwrite_a_newer_value_and_asks_for_a_pull(): void {
		$a = self::sku( 'R' );
		$b = self::sku( 'R' );
		$this->simple( $a, 0 );
		$this->simple( $b, 0 );
		$body_a = (string) wp_json_encode(
			array(
				array( 'offer_id' => 1, 'sku' => $a, 'in_stock' => 5, 'in_reserve' => 0 ),
				array( 'offer_id' => 2, 'sku' => $b, 'in_stock' => 8, 'in_reserve' => 0 ),
			)
		);
		$this->assertSame( 200, $this->webhook( $body_a, self::SECRET )['status'] );
		$this->assertSame( 5, $this->stock( $a ) );
		$r = $this->webhook( array( array( 'offer_id' => 1, 'sku' => $a, 'in_stock' => 3, 'in_reserve' => 0 ) ), self::SECRET );
		$this->assertSame( 200, $r['status'] );
		$this->assertSame( 3, $this->stock( $a ) );
		$this->assertNull( ( new PullSchedule( $this->settings() ) )->state()['requested_at'], 'no pull asked for yet' );

		// The same bytes again (a replay, or keyCRM repeating an old delivery): answered like any
		// body, but the newer value of A stays; B (not changed since) is simply set again.
		$replay = $this->webhook( $body_a, self::SECRET );
		$this->assertSame( 200, $replay['status'], $replay['body'] );
		$this->assertSame( 3, $this->stock( $a ), 'the newer value stays' );
		$this->assertSame( 8, $this->stock( $b ) );
		$inbox = $this->inbox();
		$this->assertCount( 3, $inbox );
		$this->assertSame( $inbox[0]['id'], $inbox[2]['replay_of'], 'recorded as a repeat of the first body' );
		$this->assertSame( 1, json_decode( (string) $inbox[2]['summary'], true )['superseded'] );
		// A genuine return to an earlier state looks the same: a full pull reads keyCRM's stock.
		wp_cache_flush();
		$this->assertNotNull( ( new PullSchedule( $this->settings() ) )->state()['requested_at'] );
	}
}
