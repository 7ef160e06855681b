<?php
/**
 * Imports a CSV file through WooCommerce's product CSV importer as its admin screen runs it:
 * the columns mapped by the importer's own automatic mapping, and a column it leaves unmapped
 * given the field of the "Column mapping" dropdown whose label is the column's header (as an
 * admin picks it: WooCommerce 10.0 proposes no field for its own exporter's "GTIN, UPC, EAN, or
 * ISBN" column), then the rows imported in batches of the importer's batch size (the AJAX steps).
 * Prints {mapping, imported, failed} as JSON. Run with test/shop/shop-eval.sh SITE_DIR this-file CSV.
 *
 * @package KeyCrmSync\Tests
 */

// phpcs:disable WordPress.WP.GlobalVariablesOverride.Prohibited -- a script run by shop-eval.sh.

require_once WC_ABSPATH . 'includes/admin/importers/class-wc-product-csv-importer-controller.php';
require_once WC_ABSPATH . 'includes/import/class-wc-product-csv-importer.php';

$kcs_file   = (string) ( $args[0] ?? '' );
$kcs_mapper = new class() extends WC_Product_CSV_Importer_Controller {
	/**
	 * The importer's automatic column mapping.
	 *
	 * @param array $headers CSV headers.
	 */
	public function map( array $headers ): array {
		$labels = array();
		foreach ( $this->get_mapping_options() as $key => $option ) {
			foreach ( is_array( $option ) ? ( $option['options'] ?? array() ) : array( $key => $option ) as $field => $label ) {
				$labels[ (string) $label ] = (string) $field;
			}
		}
		$mapped = $this->auto_map_columns( $headers );
		foreach ( $headers as $i => $header ) {
			if ( ! in_array( $mapped[ $i ], array_values( $labels ), true ) && isset( $labels[ $header ] ) ) {
				$mapped[ $i ] = $labels[ $header ];
			}
		}
		return $mapped;
	}
};
$kcs_headers = WC_Product_CSV_Importer_Controller::get_importer( $kcs_file, array( 'lines' => 1 ) )->get_raw_keys();
$kcs_mapping = array(
	'from' => $kcs_headers,
	'to'   => $kcs_mapper->map( $kcs_headers ),
);
$kcs_done    = array(
	'imported' => 0,
	'failed'   => array(),
);
$kcs_pos     = 0;
do {
	$kcs_importer = WC_Product_CSV_Importer_Controller::get_importer(
		$kcs_file,
		array(
			'delimiter'       => ',',
			'start_pos'       => $kcs_pos,
			'mapping'         => $kcs_mapping,
			'update_existing' => false,
			'lines'           => apply_filters( 'woocommerce_product_import_batch_size', 30 ),
			'parse'           => true,
		)
	);
	$kcs_result            = $kcs_importer->import();
	$kcs_done['imported'] += count( $kcs_result['imported'] ) + count( $kcs_result['imported_variations'] ?? array() );
	foreach ( array_merge( $kcs_result['failed'], $kcs_result['skipped'] ) as $kcs_error ) {
		$kcs_done['failed'][] = is_wp_error( $kcs_error ) ? $kcs_error->get_error_message() : (string) $kcs_error;
	}
	$kcs_pos = $kcs_importer->get_file_position();
} while ( $kcs_importer->get_percent_complete() < 100 );
// WooCommerce's own end of import (shutdown hooks run the deferred parent syncs and the plugin's buffer).
echo wp_json_encode( array( 'mapping' => array_combine( $kcs_mapping['from'], $kcs_mapping['to'] ) ) + $kcs_done );
