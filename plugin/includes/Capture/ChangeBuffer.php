<?php
/**
 * Per-request buffer of dirty SKUs.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Capture;

use KeyCrmSync\Outbox\OutboxWriter;
use KeyCrmSync\Sku\SkuRules;

/**
 * Collects "SKU X changed (mask)" marks from hook callbacks and writes them once: at the end of
 * the request, or as soon as the buffer holds `flush_at` SKUs (long imports and CLI runs).
 */
final class ChangeBuffer {

	/**
	 * Marks keyed by SKU.
	 *
	 * @var array<string, array{mask:int, product_id:int}>
	 */
	private array $entries = array();

	/**
	 * Changed products without a SKU (they have no outbox row, only a place on the problem list).
	 *
	 * @var array<int, true>
	 */
	private array $skuless = array();

	/** Whether the shutdown flush is hooked. */
	private bool $hooked = false;

	/**
	 * Constructor.
	 *
	 * @param OutboxWriter $writer   Writes the marks to the outbox.
	 * @param int          $flush_at Flush as soon as this many SKUs are buffered.
	 */
	public function __construct( private OutboxWriter $writer, private int $flush_at = 500 ) {
	}

	/**
	 * Records that a SKU changed. Cheap: no database access.
	 *
	 * @param string $sku        SKU exactly as stored.
	 * @param int    $product_id Product (or variation) the change came from.
	 * @param int    $mask       ChangeMask bits.
	 */
	public function mark( string $sku, int $product_id, int $mask ): void {
		if ( 0 === $mask ) {
			return;
		}
		if ( '' === $sku && $product_id > 0 ) {
			$this->skuless[ $product_id ] = true;
			$this->hook();
			return;
		}
		if ( ! SkuRules::storable( $sku ) ) {
			return;
		}
		$key = "s:$sku"; // A prefix keeps numeric SKUs from becoming integer array keys.
		if ( isset( $this->entries[ $key ] ) ) {
			$this->entries[ $key ]['mask']      |= $mask;
			$this->entries[ $key ]['product_id'] = $product_id;
		} else {
			$this->entries[ $key ] = array(
				'mask'       => $mask,
				'product_id' => $product_id,
			);
		}
		$this->hook();
		if ( count( $this->entries ) >= $this->flush_at ) {
			$this->flush();
		}
	}

	/**
	 * Hooks the shutdown flush once.
	 */
	private function hook(): void {
		if ( ! $this->hooked ) {
			$this->hooked = true;
			add_action( 'shutdown', array( $this, 'flush_at_shutdown' ), 100 );
		}
	}

	/**
	 * Writes every buffered mark to the outbox (one upsert per SKU) and empties the buffer.
	 *
	 * @return int Number of SKUs written.
	 */
	public function flush(): int {
		if ( array() === $this->entries && array() === $this->skuless ) {
			return 0;
		}
		$marks = array();
		foreach ( $this->entries as $key => $entry ) {
			$marks[] = array(
				'sku'        => substr( (string) $key, 2 ),
				'mask'       => $entry['mask'],
				'product_id' => $entry['product_id'],
			);
		}
		$skuless       = array_keys( $this->skuless );
		$this->entries = array();
		$this->skuless = array();
		$this->writer->write( $marks, $skuless );
		do_action( 'keycrm_sync_marked', count( $marks ) );
		return count( $marks );
	}

	/**
	 * Shutdown callback: flushes, logging (not throwing) a database failure.
	 */
	public function flush_at_shutdown(): void {
		try {
			$this->flush();
		} catch ( \RuntimeException $e ) {
			error_log( $e->getMessage() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- a lost shutdown write must leave a trace.
		}
	}

	/**
	 * The buffered marks (SKU => mask), for tests and diagnostics.
	 *
	 * @return array<string, int>
	 */
	public function pending(): array {
		$out = array();
		foreach ( $this->entries as $key => $entry ) {
			$out[ substr( (string) $key, 2 ) ] = $entry['mask'];
		}
		return $out;
	}
}
