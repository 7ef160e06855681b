<?php
/**
 * Keeps stock that came from keyCRM from being pushed back to keyCRM.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

use KeyCrmSync\Outbox\ChangeMask;
use KeyCrmSync\Outbox\OutboxTable;

/**
 * Applying keyCRM's stock with wc_update_product_stock() fires WooCommerce's stock hooks, so the
 * capture layer marks the SKU dirty (flushed to the outbox at shutdown, priority 100). keyCRM
 * already holds that value, so pushing it would only echo it back (and keyCRM would fire its
 * webhook again). After the capture flush (priority 101) this class records the applied value as
 * the outbox row's `pushed_stock`, and when stock is the row's only pending change and no sender
 * holds a lease on it, marks the row synced: the sender then has nothing to claim or push.
 */
final class EchoGuard {

	/**
	 * Applied quantities by SKU ("s:" prefix keeps numeric SKUs strings).
	 *
	 * @var array<string, int>
	 */
	private array $applied = array();

	/** Whether the shutdown callback is hooked. */
	private bool $hooked = false;

	/**
	 * Records that the shop's stock of a SKU now equals keyCRM's.
	 *
	 * @param string $sku      SKU.
	 * @param int    $quantity Quantity applied.
	 */
	public function applied( string $sku, int $quantity ): void {
		$this->applied[ 's:' . $sku ] = $quantity;
		if ( ! $this->hooked ) {
			$this->hooked = true;
			add_action( 'shutdown', array( $this, 'flush' ), 101 );
		}
	}

	/**
	 * Writes the recorded values to the outbox. Runs at shutdown after the capture flush; tests and
	 * long-running callers may call it directly after flushing the capture buffer.
	 *
	 * @return int Outbox rows updated.
	 */
	public function flush(): int {
		global $wpdb;
		$table   = OutboxTable::name();
		$updated = 0;
		foreach ( $this->applied as $key => $quantity ) {
			// phpcs:disable WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- outbox table name from its class.
			// Each assignment gives the same result whether it reads the row before or after the
			// assignments to its left (MySQL reads updated values, SQLite the old ones); CASE, not IF().
			$sql      = $wpdb->prepare(
				"UPDATE {$table} SET pushed_stock = %d,
					synced_version = CASE WHEN change_mask = %d AND lease_token IS NULL AND state = 'pending' THEN version ELSE synced_version END,
					state = CASE WHEN change_mask = %d AND lease_token IS NULL AND state = 'pending' THEN 'synced' ELSE state END,
					change_mask = CASE WHEN change_mask = %d AND lease_token IS NULL AND (state = 'pending' OR (state = 'synced' AND synced_version = version)) THEN 0 ELSE change_mask END
				WHERE sku = %s",
				$quantity,
				ChangeMask::STOCK,
				ChangeMask::STOCK,
				ChangeMask::STOCK,
				substr( (string) $key, 2 )
			);
			$updated += (int) $wpdb->query( $sql ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared -- $sql is the prepare() result above.
			// phpcs:enable
		}
		$this->applied = array();
		return $updated;
	}

	/**
	 * Whether the SKU has a shop change not yet acknowledged by the sender.
	 *
	 * @param string $sku SKU.
	 */
	public function is_dirty( string $sku ): bool {
		global $wpdb;
		$table = OutboxTable::name();
		// phpcs:ignore WordPress.DB.DirectDatabaseQuery.DirectQuery, WordPress.DB.DirectDatabaseQuery.NoCaching, WordPress.DB.PreparedSQL.InterpolatedNotPrepared -- outbox table name from its class.
		return '1' === $wpdb->get_var( $wpdb->prepare( "SELECT version > synced_version FROM {$table} WHERE sku = %s", $sku ) );
	}

	/**
	 * Pending applied values (for tests).
	 *
	 * @return array<string, int>
	 */
	public function pending(): array {
		$out = array();
		foreach ( $this->applied as $key => $q ) {
			$out[ substr( (string) $key, 2 ) ] = $q;
		}
		return $out;
	}
}
