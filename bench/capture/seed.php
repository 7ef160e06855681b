<?php
/**
 * Bench data: simple products inserted with set-based SQL (the benchmark measures the plugin,
 * not WooCommerce's product creation).
 *
 * @package KeyCrmSync\Bench
 */

/**
 * Adds $n simple products with SKU BENCH-<id>, managed stock and a price.
 *
 * @param int $n Products to add.
 */
function kcs_bench_seed( int $n ): void {
	global $wpdb;
	$now   = gmdate( 'Y-m-d H:i:s' );
	$start = (int) $wpdb->get_var( "SELECT COALESCE(MAX(ID), 0) FROM {$wpdb->posts}" );
	for ( $done = 0; $done < $n; $done += 2000 ) {
		$values = array();
		for ( $i = $done; $i < min( $n, $done + 2000 ); $i++ ) {
			$values[] = $wpdb->prepare( "(1, %s, %s, '', %s, '', 'publish', 'closed', 'closed', %s, '', '', %s, %s, '', 0, '', 0, 'product')", $now, $now, "Bench $i", "kcsbench-$start-$i", $now, $now );
		}
		$wpdb->query( "INSERT INTO {$wpdb->posts} (post_author, post_date, post_date_gmt, post_content, post_title, post_excerpt, post_status, comment_status, ping_status, post_name, to_ping, pinged, post_modified, post_modified_gmt, post_content_filtered, post_parent, guid, menu_order, post_type) VALUES " . implode( ',', $values ) );
	}
	$new = $wpdb->prepare( "FROM {$wpdb->posts} WHERE ID > %d AND post_name LIKE 'kcsbench-%%'", $start );
	foreach ( array(
		'_sku'           => "CONCAT('BENCH-', ID)",
		'_manage_stock'  => "'yes'",
		'_stock'         => '(ID % 50)',
		'_stock_status'  => "'instock'",
		'_regular_price' => "'10'",
		'_price'         => "'10'",
	) as $key => $expr ) {
		$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->postmeta} (post_id, meta_key, meta_value) SELECT ID, %s, $expr ", $key ) . $new );
	}
	$tt = (int) $wpdb->get_var( "SELECT tt.term_taxonomy_id FROM {$wpdb->term_taxonomy} tt JOIN {$wpdb->terms} t ON t.term_id = tt.term_id WHERE tt.taxonomy = 'product_type' AND t.slug = 'simple'" );
	$wpdb->query( $wpdb->prepare( "INSERT INTO {$wpdb->term_relationships} (object_id, term_taxonomy_id) SELECT ID, %d ", $tt ) . $new );
}
