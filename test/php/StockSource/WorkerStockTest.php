<?php
/**
 * The sender's pull routes over real HTTP: permissions, convergence, drift, schedule.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\StockSource;

use KeyCrmSync\Infrastructure\Clock;
use KeyCrmSync\Infrastructure\Dates;
use KeyCrmSync\Outbox\ChangeMask;

require_once __DIR__ . '/StockSourceTestCase.php';

final class WorkerStockTest extends StockSourceTestCase {

	/**
	 * @param list<array<string, mixed>> $items Items.
	 * @return array{status: int, json: mixed, body: string}
	 */
	private function apply( array $items ): array {
		return $this->http( 'POST', '/worker/stock-apply', (string) wp_json_encode( array( 'items' => $items ) ) );
	}

	public function test_sender_routes_need_an_application_password(): void {
		$this->assertSame( 401, $this->http( 'GET', '/worker/stock-pull', null, 'none' )['status'] );
		$this->assertSame( 401, $this->http( 'POST', '/worker/stock-apply', '{"items":[]}', 'none' )['status'] );
		$this->assertSame( 401, $this->http( 'GET', '/stock-source/drift', null, 'none' )['status'] );
	}

	public function test_a_pull_converges_after_missed_webhooks(): void {
		$a = self::sku( 'A' );
		$b = self::sku( 'B' );
		$this->simple( $a, 1 );
		$this->simple( $b, 3 );
		$this->sync_all();
		// keyCRM changed both while its webhooks were lost; the pull sends what keyCRM holds now.
		$r = $this->apply(
			array(
				array( 'sku' => $a, 'offer_id' => 1, 'in_stock' => 10, 'in_reserve' => 2 ),
				array( 'sku' => $b, 'offer_id' => 2, 'in_stock' => 3, 'in_reserve' => 0 ),
				array( 'sku' => 'KEYCRM-ONLY-' . $a, 'offer_id' => 3, 'in_stock' => 1, 'in_reserve' => 0 ),
			)
		);
		$this->assertSame( 200, $r['status'], $r['body'] );
		self::fixture( 'stock-apply-keycrm', $r['body'] );
		$this->assertSame( 'keycrm', $r['json']['stock_source'] );
		$this->assertSame( array( 'applied', 'unchanged', 'unknown' ), array_column( $r['json']['results'], 'outcome' ) );
		$this->assertSame( array( 8, 3, null ), array_column( $r['json']['results'], 'shop_stock' ) );
		$this->assertSame( 8, $this->stock( $a ) );
		$this->assertSame( array(), $this->dirty_skus(), 'nothing to push back' );

		$again = $this->apply( array( array( 'sku' => $a, 'in_stock' => 10, 'in_reserve' => 2 ) ) );
		$this->assertSame( 'unchanged', $again['json']['results'][0]['outcome'], 'a second pull changes nothing' );

		$unknown = $this->http( 'GET', '/stock-source/unknown' );
		$this->assertSame( 200, $unknown['status'] );
		self::fixture( 'unknown', $unknown['body'] );
		$this->assertSame( 1, $unknown['json']['total'] );
		$this->assertSame( 'KEYCRM-ONLY-' . $a, $unknown['json']['items'][0]['sku'] );
		$this->assertSame( 3, $unknown['json']['items'][0]['offer_id'] );
	}

	public function test_stock_apply_refuses_bad_batches_and_applies_nothing(): void {
		$sku = self::sku( 'Q' );
		$this->simple( $sku, 1 );
		$this->assertSame( 400, $this->apply( array( array( 'sku' => $sku, 'in_stock' => 'x' ) ) )['status'] );
		$this->assertSame( 400, $this->http( 'POST', '/worker/stock-apply', '{"nope":1}' )['status'] );
		$many = array_fill( 0, 1001, array( 'sku' => $sku, 'in_stock' => 1, 'in_reserve' => 0 ) );
		$this->assertSame( 413, $this->apply( $many )['status'] );
		$this->assertSame( 1, $this->stock( $sku ) );
		$this->assertSame( array(), $this->inbox() );
	}

	public function test_a_pull_batch_with_an_item_without_sku_applies_the_others(): void {
		$sku = self::sku( 'P' );
		$this->simple( $sku, 1 );
		$r = $this->apply(
			array(
				array( 'sku' => '  ', 'offer_id' => 1, 'in_stock' => 7, 'in_reserve' => 0 ),
				array( 'sku' => null, 'offer_id' => 2, 'in_stock' => 7, 'in_reserve' => 0 ),
				array( 'sku' => $sku, 'offer_id' => 3, 'in_stock' => 6, 'in_reserve' => 0 ),
			)
		);
		$this->assertSame( 200, $r['status'], $r['body'] );
		$this->assertSame( 2, $r['json']['counts']['skipped'] );
		$this->assertSame( array( 'applied' ), array_column( $r['json']['results'], 'outcome' ) );
		$this->assertSame( 6, $this->stock( $sku ) );
	}

	public function test_woocommerce_mode_lists_drift_without_touching_the_shop_and_requeues_it(): void {
		$this->settings()->update( array( 'stock_source' => 'woocommerce' ) );
		$same    = self::sku( 'S' );
		$drift   = self::sku( 'D' );
		$pending = self::sku( 'P' );
		$this->simple( $same, 4 );
		$this->simple( $drift, 4 );
		$p = $this->simple( $pending, 4 );
		$this->sync_all();
		wc_update_product_stock( $p, 2 ); // A shop change still on its way to keyCRM.
		$this->flush();

		$r = $this->apply(
			array(
				array( 'sku' => $same, 'in_stock' => 4, 'in_reserve' => 1 ),
				array( 'sku' => $drift, 'in_stock' => 9, 'in_reserve' => 0 ),
				array( 'sku' => $pending, 'in_stock' => 4, 'in_reserve' => 0 ),
			)
		);
		$this->assertSame( array( 'in_sync', 'drift', 'pending' ), array_column( $r['json']['results'], 'outcome' ) );
		self::fixture( 'stock-apply-woocommerce', $r['body'] );
		$this->assertSame( 4, $this->stock( $drift ), 'WooCommerce mode never writes shop stock' );

		$list = $this->http( 'GET', '/stock-source/drift' );
		self::fixture( 'drift', $list['body'] );
		$this->assertSame( 1, $list['json']['total'] );
		$this->assertSame( $drift, $list['json']['items'][0]['sku'] );
		$this->assertSame( 9.0, (float) $list['json']['items'][0]['keycrm_in_stock'] );
		$this->assertSame( 4.0, (float) $list['json']['items'][0]['shop_stock'] );

		$this->release_pending( $pending );
		$requeue = $this->http( 'POST', '/stock-source/drift/requeue', (string) wp_json_encode( array( 'skus' => array( $drift ) ) ) );
		$this->assertSame( 1, $requeue['json']['requeued'] );
		self::fixture( 'requeue', $requeue['body'] );
		$this->assertSame( array( $drift ), $this->dirty_skus() );
		$this->assertSame( ChangeMask::STOCK, (int) $this->row( $drift )->change_mask & ChangeMask::STOCK );
		$this->assertSame( 0, $this->http( 'GET', '/stock-source/drift' )['json']['total'] );
	}

	public function test_pull_schedule_start_finish_and_pull_now(): void {
		$get   = $this->http( 'GET', '/worker/stock-pull' );
		$state = $get['json'];
		self::fixture( 'pull-state-initial', $get['body'] );
		$this->assertTrue( $state['due'] );
		$this->assertSame( 'interval', $state['reason'] );

		$this->assertSame( 'running', $this->http( 'POST', '/worker/stock-pull', '{"event":"start"}' )['json']['reason'] );
		$this->apply( array( array( 'sku' => 'GONE-' . self::sku(), 'in_stock' => 1, 'in_reserve' => 0 ) ) );
		$this->assertCount( 1, $this->remote( 'unknown' ) );
		$finish = array( 'event' => 'finish', 'complete' => true, 'pages' => 1, 'scanned' => 1, 'counts' => array( 'unknown' => 1 ), 'error' => null );
		$done   = $this->http( 'POST', '/worker/stock-pull', (string) wp_json_encode( $finish ) );
		$state  = $done['json'];
		self::fixture( 'pull-state-finished', $done['body'] );
		$this->assertFalse( $state['due'] );
		$this->assertSame( 'not_yet', $state['reason'] );
		$this->assertSame( array( 'unknown' => 1 ), $state['last_result']['counts'] );
		$this->assertCount( 1, $this->remote( 'unknown' ), 'seen by this scan: kept' );

		$pull_now = $this->http( 'POST', '/stock-source/pull-now' );
		self::fixture( 'pull-now', $pull_now['body'] );
		$now = $pull_now['json'];
		$this->assertTrue( $now['due'] );
		$this->assertSame( 'requested', $now['reason'] );

		// A later scan (a second later on the plugin's clock) that no longer sees the SKU forgets it.
		$this->advance_clock( 1 );
		$later = $this->http( 'POST', '/worker/stock-pull', '{"event":"start"}' )['json'];
		$this->assertSame( Dates::iso_ts( Clock::now() ), $later['last_started_at'], 'the site reads the moved clock' );
		$state = $this->http( 'POST', '/worker/stock-pull', (string) wp_json_encode( array( 'counts' => array() ) + $finish ) )['json'];
		$this->assertNull( $state['requested_at'] );
		$this->assertSame( array(), $this->remote( 'unknown' ) );

		$status = $this->http( 'GET', '/stock-source/status' );
		$this->assertSame( 200, $status['status'] );
		self::fixture( 'status', $status['body'] );
		$this->assertSame( array( 'unknown' => 0, 'unmanaged' => 0, 'drift' => 0 ), $status['json']['counts'] );
	}

	/**
	 * Acknowledges a SKU's pending change as synced.
	 *
	 * @param string $sku SKU.
	 */
	private function release_pending( string $sku ): void {
		$this->claim_items();
		$this->release();
		$this->assertNotContains( $sku, $this->dirty_skus() );
	}
}
