<?php
/**
 * Validation of stock payloads and the quantity rule.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\StockSource;

use KeyCrmSync\StockSource\InvalidStockPayload;
use KeyCrmSync\StockSource\StockPayload;
use KeyCrmSync\StockSource\StockUpdate;

final class StockPayloadTest extends \PHPUnit\Framework\TestCase {

	public function test_reads_keycrm_webhook_items_and_keeps_the_last_item_per_sku(): void {
		$updates = StockPayload::from_json( '[{"offer_id":7,"sku":"A","in_stock":5,"in_reserve":1},{"sku":"B","in_stock":"2.5","in_reserve":null},{"offer_id":7,"sku":"A","in_stock":6,"in_reserve":0}]' );
		$this->assertCount( 2, $updates );
		$this->assertSame( array( 'sku' => 'A', 'offer_id' => 7, 'in_stock' => 6.0, 'in_reserve' => 0.0 ), $updates[0]->to_array() );
		$this->assertSame( array( 'sku' => 'B', 'offer_id' => null, 'in_stock' => 2.5, 'in_reserve' => 0.0 ), $updates[1]->to_array() );
	}

	public function test_items_without_a_usable_sku_are_skipped_and_counted_not_refused(): void {
		$items   = array(
			array( 'sku' => null, 'in_stock' => 1 ),
			array( 'in_stock' => 1 ),
			array( 'sku' => '', 'in_stock' => 1 ),
			array( 'sku' => "  \t", 'in_stock' => 1 ),
			array( 'sku' => str_repeat( 'x', StockPayload::MAX_SKU_LENGTH + 1 ), 'in_stock' => 1 ),
			array( 'sku' => 'OK', 'in_stock' => 3, 'in_reserve' => 1 ),
		);
		$updates = StockPayload::from_json( (string) wp_json_encode( $items ), $skipped );
		$this->assertSame( 5, $skipped );
		$this->assertSame( array( 'OK' ), array_map( static fn( StockUpdate $u ) => $u->sku, $updates ) );
		$this->assertCount( 1, StockPayload::from_array( $items ) );
	}

	public function test_sku_length_is_counted_in_characters_not_bytes(): void {
		$cyrillic = str_repeat( 'Ж', StockPayload::MAX_SKU_LENGTH ); // 255 characters, 510 bytes.
		$emoji    = str_repeat( '😀', StockPayload::MAX_SKU_LENGTH ); // 255 characters, 1020 bytes.
		$updates  = StockPayload::from_array(
			array(
				array( 'sku' => $cyrillic, 'in_stock' => 1 ),
				array( 'sku' => $emoji, 'in_stock' => 2 ),
				array( 'sku' => $cyrillic . 'Ж', 'in_stock' => 3 ),
			),
			$skipped
		);
		$this->assertSame( array( $cyrillic, $emoji ), array_map( static fn( StockUpdate $u ) => $u->sku, $updates ) );
		$this->assertSame( 1, $skipped, '256 characters is one too many' );
	}

	/**
	 * @return array<string, array{0: string, 1: int, 2: string}>
	 */
	public function malformed(): array {
		return array(
			'empty body'       => array( '', 400, 'Empty body' ),
			'not JSON'         => array( '[{"sku":', 400, 'not valid JSON' ),
			'object not array' => array( '{"sku":"A","in_stock":1}', 400, 'Expected a JSON array' ),
			'item not object'  => array( '[1]', 400, 'Item 0 is not an object' ),
			'item is a list'   => array( '[["A",1]]', 400, 'Item 0 is not an object' ),
			'numeric sku'      => array( '[{"sku":12,"in_stock":1}]', 400, '"sku"' ),
			'object sku'       => array( '[{"sku":{"a":1},"in_stock":1}]', 400, '"sku"' ),
			'missing in_stock' => array( '[{"sku":"A","in_reserve":0}]', 400, '"in_stock" must be a number' ),
			'text in_stock'    => array( '[{"sku":"A","in_stock":"lots"}]', 400, '"in_stock" must be a number' ),
			'bool in_reserve'  => array( '[{"sku":"A","in_stock":1,"in_reserve":true}]', 400, '"in_reserve" must be a number' ),
			'huge quantity'    => array( '[{"sku":"A","in_stock":1e12}]', 400, '"in_stock" must be a number' ),
			'bad offer_id'     => array( '[{"sku":"A","offer_id":"x","in_stock":1}]', 400, '"offer_id"' ),
			'too deep'         => array( '[{"sku":"A","in_stock":1,"x":[[[[[[[[1]]]]]]]]}]', 400, 'not valid JSON' ),
		);
	}

	/**
	 * @dataProvider malformed
	 *
	 * @param string $body    Body.
	 * @param int    $status  Expected status.
	 * @param string $message Expected message part.
	 */
	public function test_refuses_malformed_payloads( string $body, int $status, string $message ): void {
		try {
			StockPayload::from_json( $body );
			$this->fail( 'accepted: ' . $body );
		} catch ( InvalidStockPayload $e ) {
			$this->assertSame( $status, $e->status );
			$this->assertStringContainsString( $message, $e->getMessage() );
		}
	}

	public function test_refuses_oversize_bodies_and_too_many_items(): void {
		try {
			StockPayload::from_json( str_repeat( ' ', StockPayload::MAX_BODY_BYTES + 1 ) );
			$this->fail( 'oversize body accepted' );
		} catch ( InvalidStockPayload $e ) {
			$this->assertSame( 413, $e->status );
		}
		$items = array_fill( 0, StockPayload::MAX_ITEMS + 1, array( 'sku' => 'A', 'in_stock' => 1 ) );
		try {
			StockPayload::from_array( $items );
			$this->fail( 'too many items accepted' );
		} catch ( InvalidStockPayload $e ) {
			$this->assertSame( 413, $e->status );
			$this->assertSame( 'keycrm_sync_too_many_items', $e->error_code );
		}
	}

	public function test_shop_quantity_is_available_or_total_clamped_and_rounded_down(): void {
		$this->assertSame( 4, ( new StockUpdate( 'A', null, 5, 1 ) )->shop_quantity( 'available' ) );
		$this->assertSame( 5, ( new StockUpdate( 'A', null, 5, 1 ) )->shop_quantity( 'total' ) );
		$this->assertSame( 0, ( new StockUpdate( 'A', null, 2, 3 ) )->shop_quantity( 'available' ), 'over-reserved → 0' );
		$this->assertSame( 0, ( new StockUpdate( 'A', null, -4, 0 ) )->shop_quantity( 'total' ), 'negative → 0' );
		$this->assertSame( 2, ( new StockUpdate( 'A', null, 2.7, 0 ) )->shop_quantity( 'available' ), 'fractions round down' );
		$this->assertSame( 1, ( new StockUpdate( 'A', null, 3.5, 1.6 ) )->shop_quantity( 'available' ) );
		$this->assertSame( 3, ( new StockUpdate( 'A', null, 3.3 - 0.3, 0 ) )->shop_quantity( 'available' ), 'float noise of a whole number' );
	}
}
