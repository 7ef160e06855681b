<?php
/**
 * One step of the runner benchmark, in its own PHP process (a fresh request, as Action
 * Scheduler gives each action): `php worker.php run` runs the runner once and prints its result
 * with the process's peak memory; `php worker.php seed N` adds N products; `php worker.php mark`
 * runs "Resync all"; `php worker.php stock SKU N` sets a product's stock as an order would.
 *
 * @package KeyCrmSync\Bench
 */

$mode = $argv[1] ?? '';
require dirname( __DIR__, 2 ) . '/test/php/lib/boot.php';
wp_set_current_user( 1 );
switch ( $mode ) {
	case 'seed':
		require dirname( __DIR__ ) . '/capture/seed.php';
		kcs_bench_seed( (int) $argv[2] );
		echo wp_json_encode( array( 'seeded' => (int) $argv[2] ) ), "\n";
		break;
	case 'mark':
		echo wp_json_encode( ( new \KeyCrmSync\Outbox\Resync() )->run() ), "\n";
		break;
	case 'stock':
		global $wpdb;
		// The seeded products have no row in WooCommerce's lookup table: found by their meta.
		$id      = (int) $wpdb->get_var( $wpdb->prepare( "SELECT post_id FROM {$wpdb->postmeta} WHERE meta_key = '_sku' AND meta_value = %s LIMIT 1", $argv[2] ) );
		$product = wc_get_product( $id );
		if ( ! $product ) {
			fwrite( STDERR, "no product with SKU {$argv[2]}\n" );
			exit( 1 );
		}
		wc_update_product_stock( $product, (int) $argv[3] );
		\KeyCrmSync\Plugin::instance()->buffer->flush();
		echo wp_json_encode( array( 'stock' => (int) $argv[3] ) ), "\n";
		break;
	case 'run':
		$result           = \KeyCrmSync\Plugin::instance()->runner()->run();
		$result['memory'] = memory_get_peak_usage( true );
		$result['backlog'] = ( new \KeyCrmSync\Outbox\OutboxQueue( new \KeyCrmSync\Outbox\Backoff() ) )->backlog();
		echo wp_json_encode( $result ), "\n";
		break;
	case 'noop':
		echo wp_json_encode( array( 'memory' => memory_get_peak_usage( true ) ) ), "\n";
		break;
	default:
		fwrite( STDERR, "unknown mode $mode\n" );
		exit( 2 );
}
