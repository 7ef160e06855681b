<?php
/**
 * One measurement of the capture benchmark, in its own PHP process (see bench.php).
 *
 *   php worker.php saves N          N product saves, plugin on/off alternating → per-op µs (JSON)
 *   php worker.php stock N          N wc_update_product_stock() calls, same      → per-op µs (JSON)
 *   php worker.php seed N           inserts N simple products with SQL (bench data)
 *   php worker.php resync           times "Resync all"
 *   php worker.php status           times the two queries behind GET /status
 *   php worker.php claim N          marks N rows stock-only, times one claim of N items
 *
 * With the plugin on, every operation ends with the buffer flush (what the end of a real
 * request costs), inside the timing.
 *
 * @package KeyCrmSync\Bench
 */

$mode   = $argv[1] ?? '';
$n      = (int) ( $argv[2] ?? 0 );
require dirname( __DIR__, 2 ) . '/test/php/lib/boot.php';
wp_set_current_user( 1 );
$flush = static function (): void {
	\KeyCrmSync\Plugin::instance()->buffer->flush();
};

/**
 * Creates products (not timed).
 *
 * @param int $n How many.
 * @return int[] Ids.
 */
function kcs_bench_products( int $n ): array {
	$ids = array();
	for ( $i = 0; $i < $n; $i++ ) {
		$p = new WC_Product_Simple();
		$p->set_name( "Bench product $i" );
		$p->set_sku( 'BS-' . getmypid() . '-' . $i );
		$p->set_regular_price( '10' );
		$p->set_manage_stock( true );
		$p->set_stock_quantity( 100 );
		$p->save();
		$ids[] = $p->get_id();
	}
	if ( class_exists( \KeyCrmSync\Plugin::class, false ) ) {
		\KeyCrmSync\Plugin::instance()->buffer->flush();
	}
	return $ids;
}

/**
 * Every hook callback that belongs to the plugin.
 *
 * @return list<array{0:string, 1:callable, 2:int, 3:int}>
 */
function kcs_bench_plugin_hooks(): array {
	global $wp_filter;
	$out = array();
	foreach ( $wp_filter as $hook => $wp_hook ) {
		foreach ( $wp_hook->callbacks as $priority => $callbacks ) {
			foreach ( $callbacks as $cb ) {
				$f = $cb['function'];
				if ( is_array( $f ) && is_object( $f[0] ) && str_starts_with( get_class( $f[0] ), 'KeyCrmSync\\' ) ) {
					$out[] = array( (string) $hook, $f, (int) $priority, (int) $cb['accepted_args'] );
				}
			}
		}
	}
	return $out;
}

/**
 * Attaches or detaches the plugin's callbacks.
 *
 * @param list<array{0:string, 1:callable, 2:int, 3:int}> $hooks Callbacks.
 * @param bool                                            $on    Attach.
 */
function kcs_bench_attach( array $hooks, bool $on ): void {
	foreach ( $hooks as $h ) {
		if ( $on ) {
			add_action( $h[0], $h[1], $h[2], $h[3] );
		} else {
			remove_action( $h[0], $h[1], $h[2] );
		}
	}
}

switch ( $mode ) {
	case 'saves':
	case 'stock':
		// Plugin on and off alternate operation by operation in this one process, so machine
		// load hits both modes alike. "Off" detaches every hook callback of the plugin.
		$hooks = kcs_bench_plugin_hooks();
		$times = array(
			'on'    => array(),
			'off'   => array(),
			'flush' => array(),
		);
		foreach ( kcs_bench_products( $n ) as $i => $id ) {
			$on = 0 === $i % 2;
			kcs_bench_attach( $hooks, $on );
			$product = wc_get_product( $id );
			$t       = hrtime( true );
			if ( 'saves' === $mode ) {
				$product->set_regular_price( (string) ( 10 + $i % 7 ) );
				$product->set_stock_quantity( 50 + $i % 13 );
				$product->set_name( "Bench product $i (edited)" );
				$product->save();
			} else {
				wc_update_product_stock( $product, 1, 'decrease' );
			}
			$f = hrtime( true );
			if ( $on ) {
				$flush(); // The end of the request: one upsert per SKU.
			}
			$end                           = hrtime( true );
			$times[ $on ? 'on' : 'off' ][] = ( $end - $t ) / 1000;
			if ( $on ) {
				$times['flush'][] = ( $end - $f ) / 1000;
			}
		}
		kcs_bench_attach( $hooks, true );
		echo wp_json_encode( $times );
		break;

	case 'seed':
		require __DIR__ . '/seed.php';
		$t = hrtime( true );
		kcs_bench_seed( $n );
		echo wp_json_encode( array( 'seconds' => ( hrtime( true ) - $t ) / 1e9 ) );
		break;

	case 'resync':
		global $wpdb;
		$t      = hrtime( true );
		$result = ( new \KeyCrmSync\Outbox\Resync() )->run();
		$secs   = ( hrtime( true ) - $t ) / 1e9;
		echo wp_json_encode( $result + array( 'seconds' => $secs, 'rows' => (int) $wpdb->get_var( 'SELECT COUNT(*) FROM ' . \KeyCrmSync\Outbox\OutboxTable::name() ) ) );
		break;

	case 'status':
		$t      = hrtime( true );
		$counts = ( new \KeyCrmSync\Outbox\OutboxReader() )->counts();
		$t1     = hrtime( true );
		$found  = ( new \KeyCrmSync\Problems\ProblemFinder() )->count();
		$t2     = hrtime( true );
		echo wp_json_encode(
			array(
				'counts_seconds'   => ( $t1 - $t ) / 1e9,
				'problems_seconds' => ( $t2 - $t1 ) / 1e9,
				'rows'             => $counts['total'],
				'problems'         => $found,
			)
		);
		break;

	case 'claim':
		global $wpdb;
		$table = \KeyCrmSync\Outbox\OutboxTable::name();
		$wpdb->query( "UPDATE {$table} SET synced_version = version, state = 'synced', change_mask = 0, priority = 0, lease_token = NULL, lease_expires_at = NULL" );
		$wpdb->query( $wpdb->prepare( "UPDATE {$table} SET version = version + 1, change_mask = 1, state = 'pending' WHERE sku LIKE 'BENCH-%%' ORDER BY id LIMIT %d", $n ) );
		$before = memory_get_peak_usage();
		$t      = hrtime( true );
		$claim  = ( new \KeyCrmSync\Outbox\OutboxQueue( new \KeyCrmSync\Outbox\Backoff() ) )->claim( $n, 300 );
		$items  = ( new \KeyCrmSync\Snapshot\ItemSnapshot() )->for_rows_encoded( $claim['rows'] );
		unset( $claim['rows'] );
		$json  = wp_json_encode( array( 'lease_token' => $claim['token'], 'items' => $items ) ); // As the REST server does.
		$secs  = ( hrtime( true ) - $t ) / 1e9;
		$peak  = memory_get_peak_usage();
		$count = count( $items );
		$first = isset( $items[0] ) ? (array) $items[0]->jsonSerialize() : array();
		unset( $items );
		echo wp_json_encode(
			array(
				'items'           => $count,
				'seconds'         => $secs,
				'json_bytes'      => strlen( $json ),
				'peak_before_mb'  => $before / 1048576,
				'peak_mb'         => $peak / 1048576,
				'memory_limit'    => ini_get( 'memory_limit' ),
				'first_stock'     => $first['stock_quantity'] ?? null,
			)
		);
		break;

	default:
		fwrite( STDERR, "unknown mode $mode\n" );
		exit( 2 );
}
