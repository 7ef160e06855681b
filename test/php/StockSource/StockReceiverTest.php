<?php
/**
 * Store-then-apply: a failure while applying loses nothing.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\StockSource;

use KeyCrmSync\Outbox\SkuOwners;
use KeyCrmSync\StockSource\EchoGuard;
use KeyCrmSync\StockSource\RemoteStockRegistry;
use KeyCrmSync\StockSource\StockApplier;
use KeyCrmSync\StockSource\StockInbox;
use KeyCrmSync\StockSource\StockReceiver;
use KeyCrmSync\StockSource\StockUpdate;

require_once __DIR__ . '/StockSourceTestCase.php';

final class StockReceiverTest extends StockSourceTestCase {

	private function receiver( EchoGuard $echo ): StockReceiver {
		return new StockReceiver( new StockInbox(), new StockApplier( new SkuOwners(), new RemoteStockRegistry(), $echo ), $this->settings() );
	}

	public function test_a_batch_that_fails_to_apply_stays_stored_and_is_applied_by_the_retry(): void {
		$sku      = self::sku( 'F' );
		$this->simple( $sku, 2 );
		$this->sync_all();
		$echo     = new EchoGuard();
		$receiver = $this->receiver( $echo );
		$fail     = static function (): void {
			throw new \RuntimeException( 'database went away' );
		};
		add_action( 'woocommerce_product_before_set_stock', $fail );
		try {
			$done = $receiver->receive_and_apply( 'webhook', array( new StockUpdate( $sku, 5, 6, 1 ) ) );
		} finally {
			remove_action( 'woocommerce_product_before_set_stock', $fail );
		}
		$this->assertTrue( $done['queued'] );
		$inbox = $this->inbox();
		$this->assertSame( 'pending', $inbox[0]['status'] );
		$this->assertSame( '1', $inbox[0]['attempts'] );
		$this->assertStringContainsString( 'database went away', $inbox[0]['last_error'] );
		$this->assertSame( 2, $this->stock( $sku ) );
		$this->assertNotFalse( wp_next_scheduled( StockReceiver::CRON_HOOK ), 'a retry is scheduled' );

		$receiver->apply_pending();
		$this->assertSame( 5, $this->stock( $sku ) );
		$this->assertSame( 'applied', $this->inbox()[0]['status'] );

		// Same request order as production: capture flush, then the echo guard.
		$this->flush();
		$echo->flush();
		$this->assertSame( array(), $this->dirty_skus(), 'the applied value is not pushed back' );
		wp_clear_scheduled_hook( StockReceiver::CRON_HOOK );
	}

	public function test_a_row_is_failed_after_max_attempts(): void {
		$inbox = new StockInbox();
		$id    = $inbox->store( 'pull', array( new StockUpdate( 'X', null, 1, 0 ) ) );
		for ( $i = 0; $i < StockInbox::MAX_ATTEMPTS; $i++ ) {
			$inbox->mark_attempt_failed( $id, 'boom' );
		}
		$this->assertSame( 'failed', $this->inbox()[0]['status'] );
		$this->assertSame( array(), $inbox->pending( 10 ) );
	}

	public function test_variation_stock_is_applied_and_parent_managed_or_unmanaged_stock_is_listed(): void {
		$v1 = self::sku( 'V' );
		$v2 = self::sku( 'V' );
		list( , $variations ) = $this->variable( self::sku( 'P' ), array( $v1 => 1, $v2 => 1 ) );
		$variations[ $v2 ]->set_manage_stock( false );
		$variations[ $v2 ]->save();
		$results = $this->receiver( new EchoGuard() )->receive_and_apply(
			'pull',
			array( new StockUpdate( $v1, null, 4, 0 ), new StockUpdate( $v2, null, 4, 0 ) )
		)['results'];
		$this->assertSame( array( 'applied', 'unmanaged' ), array_column( $results, 'outcome' ) );
		$this->assertSame( 4, $this->stock( $v1 ) );
		$this->assertSame( array( $v2 ), $this->remote( 'unmanaged' ) );
		$this->flush();
	}
}
