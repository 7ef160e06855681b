<?php
/**
 * Per-request buffer of dirty SKUs.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Capture;

use KeyCrmSync\Exception\StorageFailed;
use KeyCrmSync\Outbox\ChangeMask;
use KeyCrmSync\Outbox\NeedsResync;
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
	 * @var array<string, array{mask:int, product_id:int, problems:bool}>
	 */
	private array $entries = array();

	/**
	 * Changed products without a SKU (they have no outbox row, only a place on the problem list).
	 *
	 * @var array<int, true>
	 */
	private array $skuless = array();

	/** Retries of a write that ended in a deadlock (MySQL 1213). */
	private const DEADLOCK_RETRIES = 2;

	/** Retries of a write that ended in a lock-wait timeout (MySQL 1205). */
	private const LOCK_WAIT_RETRIES = 1;

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
	 * @param bool   $problems   Whether the change may alter the product's place on the problem
	 *                           list (SKU, status, parent, stock management, type, a new
	 *                           product). False only when the caller knows it cannot (a product
	 *                           save that changed names or prices only): the write then skips
	 *                           the problem list's refresh for it.
	 */
	public function mark( string $sku, int $product_id, int $mask, bool $problems = true ): void {
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
		$key      = "s:$sku"; // A prefix keeps numeric SKUs from becoming integer array keys.
		$problems = $problems && 0 !== ( $mask & ~ChangeMask::STOCK ); // A stock quantity alone changes no problem.
		if ( isset( $this->entries[ $key ] ) ) {
			$this->entries[ $key ]['mask']      |= $mask;
			$this->entries[ $key ]['product_id'] = $product_id;
			$this->entries[ $key ]['problems']   = $this->entries[ $key ]['problems'] || $problems;
		} else {
			$this->entries[ $key ] = array(
				'mask'       => $mask,
				'product_id' => $product_id,
				'problems'   => $problems,
			);
		}
		$this->hook();
		if ( count( $this->entries ) >= $this->flush_at ) {
			try {
				$this->flush();
			} catch ( \RuntimeException $e ) {
				// The marks stay buffered; the next flush (at the latest at shutdown) tries again.
				error_log( $e->getMessage() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- a failed write must leave a trace.
			}
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
				'problems'   => $entry['problems'],
			);
		}
		$skuless = array_keys( $this->skuless );
		$this->write( $marks, $skuless );
		// Emptied only once written: a failure keeps the marks for the next flush.
		$this->entries = array();
		$this->skuless = array();
		do_action( 'keycrm_sync_marked', count( $marks ) );
		return count( $marks );
	}

	/**
	 * Writes the marks, retrying what a busy database refuses for a moment: a deadlock (MySQL
	 * 1213: the statement was rolled back at once) up to DEADLOCK_RETRIES times, a lock-wait
	 * timeout (1205: it already waited innodb_lock_wait_timeout) LOCK_WAIT_RETRIES times. The
	 * upsert is idempotent (a repeated mark only bumps a version again).
	 *
	 * @param list<array{sku:string, mask:int, product_id:int, problems:bool}> $marks   Marks.
	 * @param int[]                                                            $skuless Products without SKU.
	 * @throws StorageFailed When the database still refuses.
	 */
	private function write( array $marks, array $skuless ): void {
		$deadlocks  = 0;
		$lock_waits = 0;
		while ( true ) {
			try {
				$this->writer->write( $marks, $skuless );
				return;
			} catch ( StorageFailed $e ) {
				$errno = self::last_errno();
				if ( 1213 === $errno && $deadlocks < self::DEADLOCK_RETRIES ) {
					++$deadlocks;
				} elseif ( 1205 === $errno && $lock_waits < self::LOCK_WAIT_RETRIES ) {
					++$lock_waits;
				} else {
					throw $e;
				}
			}
		}
	}

	/**
	 * MySQL error number of the last statement (0 when unknown).
	 */
	private static function last_errno(): int {
		global $wpdb;
		if ( isset( $wpdb->dbh ) && $wpdb->dbh instanceof \mysqli ) {
			return (int) mysqli_errno( $wpdb->dbh ); // phpcs:ignore WordPress.DB.RestrictedFunctions.mysql_mysqli_errno -- $wpdb keeps only the message; the number tells a deadlock from a lock wait.
		}
		$error = (string) $wpdb->last_error;
		if ( str_contains( $error, 'Deadlock found' ) ) {
			return 1213;
		}
		return str_contains( $error, 'Lock wait timeout' ) ? 1205 : 0;
	}

	/**
	 * Shutdown callback: flushes; when the database still refuses, the marks of this request
	 * would be lost, so the "needs resync" flag is set (the next run marks every SKU) and the
	 * reason logged.
	 */
	public function flush_at_shutdown(): void {
		try {
			$this->flush();
		} catch ( \RuntimeException $e ) {
			error_log( $e->getMessage() ); // phpcs:ignore WordPress.PHP.DevelopmentFunctions.error_log_error_log -- a lost shutdown write must leave a trace.
			NeedsResync::flag( $e->getMessage() );
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
