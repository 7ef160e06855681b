<?php
/**
 * One definition of a usable SKU: PHP capture, the SQL of "Resync all" and of the Problems
 * screen, and the stored problem list give the verdicts of test/fixtures/sku-rules.json (which
 * the sender's rule is held to as well, in test/contract/sku-rules.test.ts).
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Sku;

use KeyCrmSync\Outbox\OutboxTable;
use KeyCrmSync\Outbox\Resync;
use KeyCrmSync\Problems\ProblemFinder;
use KeyCrmSync\Problems\ProblemIndex;
use KeyCrmSync\Sku\SkuRules;
use KeyCrmSync\Tests\TestCase;

final class SkuRulesTest extends TestCase {

	/**
	 * The shared cases: name => [sku, usable].
	 *
	 * @return array<string, array{0:string, 1:bool}>
	 */
	private static function cases(): array {
		$doc = json_decode( (string) file_get_contents( dirname( __DIR__, 2 ) . '/fixtures/sku-rules.json' ), true );
		$out = array();
		foreach ( $doc['cases'] as $case ) {
			$out[ $case['name'] ] = array( str_repeat( $case['sku'], $case['repeat'] ?? 1 ), $case['usable'] );
		}
		return $out;
	}

	public function test_php_and_sql_give_the_shared_verdicts(): void {
		global $wpdb;
		$cases = self::cases();
		$this->assertGreaterThan( 30, count( $cases ) );
		foreach ( $cases as $name => list( $sku, $usable ) ) {
			$this->assertSame( $usable, null === SkuRules::problem( $sku ), "PHP: $name" );
			$wpdb->query( $wpdb->prepare( 'SET @kcs_sku = CAST(%s AS CHAR CHARACTER SET utf8mb4)', $sku ) );
			$sql = (int) $wpdb->get_var( 'SELECT ' . SkuRules::sql_unusable( '@kcs_sku' ) ); // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			$this->assertSame( $usable ? 0 : 1, $sql, "SQL: $name" );
		}
	}

	public function test_capture_resync_problems_and_the_stored_count_agree_on_every_case(): void {
		global $wpdb;
		$ids = array();
		foreach ( self::cases() as $name => list( $sku, $usable ) ) {
			$product = $this->simple( self::sku( 'PAR' ) );
			$this->flush();
			update_post_meta( $product->get_id(), '_sku', wp_slash( $sku ) ); // Any value other code may write.
			$ids[ $name ] = $product->get_id();
		}
		$this->flush();
		foreach ( self::cases() as $name => list( $sku, $usable ) ) {
			$this->assertSame( $sku, get_post_meta( $ids[ $name ], '_sku', true ), "stored as is: $name" );
			if ( '' !== $sku ) {
				$this->assertSame( $usable ? 'pending' : 'skipped', $this->row( $sku )->state ?? null, "capture: $name" );
			}
		}
		$this->assert_problems_match( $ids, 'after capture' );

		$wpdb->query( 'TRUNCATE TABLE ' . OutboxTable::name() );
		( new Resync() )->run();
		foreach ( self::cases() as $name => list( $sku, $usable ) ) {
			if ( '' !== $sku ) {
				$this->assertSame( $usable ? 'pending' : 'skipped', $this->row( $sku )->state ?? null, "resync: $name" );
			}
		}
		$this->assert_problems_match( $ids, 'after resync' );
	}

	public function test_the_problem_count_follows_edits_without_a_scan(): void {
		$index  = new ProblemIndex();
		$before = $index->count();
		$a      = $this->simple( self::sku( 'CNT' ) );
		$b      = $this->simple( self::sku( 'CNT' ) );
		$this->flush();
		$this->assertSame( $before, $index->count() );

		update_post_meta( $b->get_id(), '_sku', $a->get_sku() ); // A duplicate: both products are listed.
		$this->flush();
		$this->assertSame( $before + 2, $index->count() );

		$b = wc_get_product( $b->get_id() );
		$b->set_sku( '' );
		$b->save(); // Now b has no SKU and a is alone again.
		$this->flush();
		$this->assertSame( $before + 1, $index->count() );

		$b->set_sku( self::sku( 'CNT' ) . "\u{00A0}" );
		$b->save();
		$this->flush();
		$this->assertSame( $before + 1, $index->count(), 'an unusable SKU instead of none' );

		wp_trash_post( $b->get_id() );
		$this->flush();
		$this->assertSame( $before, $index->count(), 'a trashed product is no problem' );

		$fresh = new \WC_Product_Simple();
		$fresh->set_name( 'No SKU yet' );
		$fresh->save();
		$this->flush();
		$this->assertSame( $before + 1, $index->count(), 'a new product without SKU' );
		$this->assertSame( $index->count(), ( new ProblemFinder() )->page( 1, 1 )['total'] );
		$fresh->delete( true );
		$this->flush();
		$this->assertSame( $before, $index->count() );
	}

	/**
	 * The Problems screen's scan lists exactly the unusable cases, and the stored list (what the
	 * Overview counts) holds the same kinds.
	 *
	 * @param array<string, int> $ids   Case name => product id.
	 * @param string             $stage When.
	 */
	private function assert_problems_match( array $ids, string $stage ): void {
		global $wpdb;
		$in      = implode( ',', array_map( 'intval', $ids ) );
		$union   = ( new ProblemFinder() )->union_sql();
		$scanned = array();
		foreach ( $wpdb->get_results( "SELECT product_id, kind FROM ({$union}) x WHERE product_id IN ($in)" ) as $r ) { // phpcs:ignore WordPress.DB.PreparedSQL.InterpolatedNotPrepared
			$scanned[ (int) $r->product_id ][] = $r->kind;
		}
		$stored = array();
		foreach ( $wpdb->get_results( 'SELECT product_id, kind FROM ' . ProblemIndex::name() . " WHERE product_id IN ($in) ORDER BY kind" ) as $r ) { // phpcs:ignore WordPress.DB.PreparedSQL.NotPrepared
			$stored[ (int) $r->product_id ][] = $r->kind;
		}
		foreach ( self::cases() as $name => list( $sku, $usable ) ) {
			$id = $ids[ $name ];
			$this->assertSame( ! $usable, isset( $scanned[ $id ] ), "$stage, Problems screen: $name" );
			$kinds = $scanned[ $id ] ?? array();
			sort( $kinds );
			$this->assertSame( $kinds, $stored[ $id ] ?? array(), "$stage, stored list: $name" );
		}
	}
}
