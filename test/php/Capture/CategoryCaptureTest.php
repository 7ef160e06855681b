<?php
/**
 * Category changes that change a product's keyCRM category mark exactly the SKUs they affect,
 * and the claimed item carries the primary category's path with the remembered keyCRM ids.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Capture;

use KeyCrmSync\Snapshot\CategoryPath;
use KeyCrmSync\Tests\TestCase;

final class CategoryCaptureTest extends TestCase {

	/**
	 * A path as the claim shows it: "name#keycrm_id/…".
	 *
	 * @param array|null $path category_path.
	 */
	private static function show( ?array $path ): string {
		return implode( '/', array_map( static fn( $l ) => $l['name'] . '#' . ( $l['keycrm_id'] ?? '-' ), (array) $path ) );
	}

	public function test_renames_moves_deletions_and_primary_changes_mark_the_affected_skus(): void {
		$tag   = ' ' . bin2hex( random_bytes( 3 ) );
		$top   = wp_insert_term( 'Top' . $tag, 'product_cat' )['term_id'];
		$mid   = wp_insert_term( 'Mid' . $tag, 'product_cat', array( 'parent' => $top ) )['term_id'];
		$leaf  = wp_insert_term( 'Leaf' . $tag, 'product_cat', array( 'parent' => $mid ) )['term_id'];
		$other = wp_insert_term( 'Other' . $tag, 'product_cat' )['term_id'];
		$in_leaf = $this->simple( self::sku( 'CL' ) );
		$in_leaf->set_category_ids( array( $leaf ) );
		$in_leaf->save();
		$in_top = $this->simple( self::sku( 'CT' ) );
		$in_top->set_category_ids( array( $top ) );
		$in_top->save();
		$elsewhere = $this->simple( self::sku( 'CO' ) );
		$elsewhere->set_category_ids( array( $other ) );
		$elsewhere->save();
		$vsku           = self::sku( 'CV' );
		list( $parent ) = $this->variable( '', array( $vsku => 1 ) );
		$parent->set_category_ids( array( $mid ) );
		$parent->save();
		CategoryPath::remember( $top, 70, 'Top' . $tag, null );
		CategoryPath::remember( $mid, 71, 'Mid' . $tag, 70 );
		$this->assertClaimable(
			array(
				$in_leaf->get_sku()   => array(),
				$in_top->get_sku()    => array(),
				$elsewhere->get_sku() => array(),
				$vsku                 => array(),
			)
		);
		$this->assertSame( "Top{$tag}#70/Mid{$tag}#71/Leaf{$tag}#-", self::show( CategoryPath::of( wc_get_product( $in_leaf->get_id() ) ) ) );
		$this->assertSame( "Top{$tag}#70/Mid{$tag}#71", self::show( CategoryPath::of( wc_get_product( $parent->get_id() ) ) ) );

		// A description edit changes no path: nothing marked.
		wp_update_term( $mid, 'product_cat', array( 'description' => 'text' ) );
		$this->assertClaimable( array() );

		// A rename marks the products in the category and below it (a variable product's variations).
		wp_update_term( $mid, 'product_cat', array( 'name' => 'Middle' . $tag ) );
		$this->assertClaimable(
			array(
				$in_leaf->get_sku() => array(),
				$vsku               => array(),
			)
		);
		// The renamed level and everything below it lost their remembered ids; the root kept its.
		$this->assertSame( "Top{$tag}#70/Middle{$tag}#-/Leaf{$tag}#-", self::show( CategoryPath::of( wc_get_product( $in_leaf->get_id() ) ) ) );

		// A move marks the same way.
		wp_update_term( $leaf, 'product_cat', array( 'parent' => $other ) );
		$this->assertClaimable( array( $in_leaf->get_sku() => array() ) );
		$this->assertSame( "Other{$tag}#-/Leaf{$tag}#-", self::show( CategoryPath::of( wc_get_product( $in_leaf->get_id() ) ) ) );

		// Categories set outside the product object (the category box, quick edit).
		wp_set_object_terms( $elsewhere->get_id(), array( $top ), 'product_cat' );
		$this->assertClaimable( array( $elsewhere->get_sku() => array() ) );

		// The Yoast SEO primary category chooses among the product's categories.
		wp_set_object_terms( $in_top->get_id(), array( $top, $other ), 'product_cat' );
		$this->flush();
		$this->claim_items();
		$this->release();
		update_post_meta( $in_top->get_id(), CategoryPath::PRIMARY_META, (string) $other );
		$this->assertClaimable( array( $in_top->get_sku() => array( 'category' => 'Other' . $tag ) ) );

		// A deleted category: its products and those below it.
		wp_delete_term( $top, 'product_cat' );
		$this->assertClaimable(
			array(
				$in_top->get_sku()    => array(),
				$elsewhere->get_sku() => array(),
				$vsku                 => array(),
			)
		);
	}
}
