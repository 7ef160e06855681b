<?php
/**
 * Product data a plugin, an import or a hand-edited database leaves behind, through capture and the
 * sender's claim (real HTTP, the sender's own application password): prices of INF, NaN and
 * 1e999, a name that is not UTF-8, a SKU of 10 KB, a SKU of spaces. Each becomes that SKU's
 * listed problem or its error; the good products beside them are claimed and sent.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Faults;

use KeyCrmSync\Tests\Http;
use KeyCrmSync\Tests\TestCase;

require_once __DIR__ . '/FaultFigures.php';

final class ProductMetaFaultsTest extends TestCase {

	private const BOUNDARY = 'product data (capture → claim)';

	private static array $app = array();

	public static function setUpBeforeClass(): void {
		\KeyCrmSync\Http\Permissions::ensure_sender_role();
		$login = 'kcs_meta_' . wp_rand();
		$user  = wp_insert_user(
			array(
				'user_login' => $login,
				'user_pass'  => wp_generate_password(),
				'user_email' => $login . '@example.test',
				'role'       => \KeyCrmSync\Http\Permissions::SENDER_ROLE,
			)
		);
		$app       = \WP_Application_Passwords::create_new_application_password( $user, array( 'name' => 'sender' ) );
		self::$app = Http::app_password( $login, $app[0] );
	}

	public function test_each_bad_value_is_its_own_sku_s_problem_or_error_and_the_rest_is_sent(): void {
		global $wpdb;
		$good = array();
		for ( $i = 0; $i < 3; $i++ ) {
			$good[] = $this->simple( self::sku( 'MG' ), 4, '12.5' )->get_sku();
		}
		$bad = array(
			'regular price meta INF'    => array( '_regular_price', 'INF' ),
			'regular price meta NaN'    => array( '_regular_price', 'NaN' ),
			'regular price meta 1e999'  => array( '_regular_price', '1e999' ),
			'price meta -1e999'         => array( '_price', '-1e999' ),
			'purchase price meta 1e999' => array( '_keycrm_purchased_price', '1e999' ),
			'weight meta 1e999'         => array( '_weight', '1e999' ),
			'name of invalid UTF-8'     => array( 'post_title', "Shirt \xC3\x28 \xFF" ),
		);
		$ids = array();
		foreach ( $bad as $label => list( $field, $value ) ) {
			$product       = $this->simple( self::sku( 'MB' ), 2, '5' );
			$ids[ $label ] = $product->get_id();
			if ( 'post_title' === $field ) {
				$wpdb->update( $wpdb->posts, array( 'post_title' => $value ), array( 'ID' => $product->get_id() ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
				clean_post_cache( $product->get_id() );
			} else {
				update_post_meta( $product->get_id(), $field, $value );
			}
		}
		// SKUs no search of keyCRM's can hold: the meta written as an import would write it.
		$long   = $this->simple( self::sku( 'ML' ), 2, '5' );
		$spaces = $this->simple( self::sku( 'MS' ), 2, '5' );
		$wpdb->update( $wpdb->postmeta, array( 'meta_value' => str_repeat( 'L', 10240 ) ), array( 'post_id' => $long->get_id(), 'meta_key' => '_sku' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		$wpdb->update( $wpdb->postmeta, array( 'meta_value' => '     ' ), array( 'post_id' => $spaces->get_id(), 'meta_key' => '_sku' ) ); // phpcs:ignore WordPress.DB.DirectDatabaseQuery
		wp_cache_flush();
		$this->flush();

		$claim = Http::request( 'POST', '/keycrm-sync/v1/worker/claim', array( 'limit' => 100 ), self::$app );
		$this->assertSame( 200, $claim['status'], $claim['raw'] );
		$items = $claim['body']['items'];
		$this->assertNotContains( null, $items, 'no item is sent as null' );
		$by_sku = array_column( $items, null, 'sku' );
		$lost   = count( array_diff( $good, array_keys( $by_sku ) ) );
		$this->assertSame( 0, $lost, 'every good product is claimed' );

		foreach ( $ids as $label => $id ) {
			$sku  = (string) get_post_meta( $id, '_sku', true );
			$item = $by_sku[ $sku ] ?? null;
			$row  = $this->row( $sku );
			if ( null === $item ) {
				// Held back as this SKU's own error.
				$this->assertNotNull( $row, $label );
				$this->assertSame( 'failed', $row->state, $label );
				$this->assertNotEmpty( $row->last_error_code, $label );
				FaultFigures::record( self::BOUNDARY, $label, 'error', $lost, count( $good ) );
				continue;
			}
			// Claimed: every number in it is finite and the name is valid UTF-8.
			$json = wp_json_encode( $item );
			$this->assertIsString( $json, $label );
			array_walk_recursive(
				$item,
				function ( $v ) use ( $label ) {
					if ( is_float( $v ) ) {
						$this->assertTrue( is_finite( $v ), $label );
					}
					if ( is_string( $v ) ) {
						$this->assertTrue( mb_check_encoding( $v, 'UTF-8' ), $label );
					}
				}
			);
			FaultFigures::record( self::BOUNDARY, $label . ' (the value left out, the rest of the product sent)', 'skip', $lost, count( $good ) );
		}

		$problems = Http::request( 'GET', '/keycrm-sync/v1/problems', null, Http::browser( 1, true ) );
		$this->assertSame( 200, $problems['status'], $problems['raw'] );
		$listed = wp_json_encode( $problems['body'] );
		foreach ( array( 'SKU of 10 KB' => $long->get_id(), 'SKU of spaces' => $spaces->get_id() ) as $label => $id ) {
			$this->assertStringContainsString( '"product_id":' . $id, (string) $listed, $label . ' is listed as a problem' );
			$sku = (string) get_post_meta( $id, '_sku', true );
			$this->assertArrayNotHasKey( $sku, $by_sku, $label . ' is not sent' );
			FaultFigures::record( self::BOUNDARY, $label, 'skip', $lost, count( $good ) );
		}
	}
}
