<?php
/**
 * The PHP planner without WordPress, for the conformance test (test/conformance/plan-twin.test.ts):
 * reads {items, settings, knowledge} as JSON on stdin, prints the plan in the Node sender's shape
 * (src/sender/plan.ts) plus each item's desired stock and hashes.
 *
 * @package KeyCrmSync\Tests
 */

declare( strict_types=1 );

// SkuRules::problem() words its reasons through WordPress's translation function.
if ( ! function_exists( '__' ) ) {
	/**
	 * The text itself (no WordPress here).
	 *
	 * @param string $text Text.
	 */
	function __( string $text ): string {
		return $text;
	}
}

$root = dirname( __DIR__, 2 ) . '/plugin/includes/';
foreach ( array( 'Sku/SkuRules.php', 'KeyCrm/Client.php', 'Runner/Desired.php', 'Runner/RunState.php', 'Runner/CategoryPlan.php', 'Runner/Planner.php' ) as $file ) {
	require $root . $file;
}

use KeyCrmSync\Runner\Desired;
use KeyCrmSync\Runner\Planner;
use KeyCrmSync\Runner\RunState;

$input    = json_decode( (string) stream_get_contents( STDIN ), true, 512, JSON_THROW_ON_ERROR );
$settings = $input['settings'];
$items    = array();
foreach ( $input['items'] as $item ) {
	$items[ $item['sku'] ] = $item;
}
$state = new RunState();
$know  = $input['knowledge'] ?? array();
foreach ( $know['skus'] ?? array() as $sku => $s ) {
	$map = array(
		'exists'      => 'exists',
		'offerId'     => 'offer_id',
		'productId'   => 'product_id',
		'pushedStock' => 'pushed_stock',
		'offerHash'   => 'offer_hash',
		'productHash' => 'product_hash',
		'created'     => 'created',
	);
	$patch = array();
	foreach ( $s as $k => $v ) {
		$patch[ $map[ $k ] ] = $v;
	}
	$state->patch( (string) $sku, $patch );
}
foreach ( $know['parents'] ?? array() as $pair ) {
	$state->parents[ (int) $pair[0] ] = (int) $pair[1];
}
if ( isset( $know['census'] ) ) {
	$state->census = array();
	foreach ( $know['census'] as $pair ) {
		$state->census[ (string) $pair[0] ] = array( (int) $pair[1]['offerId'], (int) $pair[1]['productId'] );
	}
}

foreach ( $know['categories'] ?? array() as $pair ) {
	$state->categories[ \KeyCrmSync\Runner\CategoryPlan::key( $pair[0] ) ] = (int) $pair[1];
}

$plan  = Planner::plan( $items, $settings, $state );
$calls = array();
foreach ( $plan['calls'] as $c ) {
	switch ( $c['kind'] ) {
		case 'stocks':
			$calls[] = array(
				'kind'        => 'stocks',
				'warehouseId' => $c['warehouse'],
				'rows'        => $c['rows'],
			);
			break;
		case 'createParent':
			$calls[] = array(
				'kind'      => 'createParent',
				'parentId'  => $c['parent_id'],
				'body'      => $c['body'],
				'parentSku' => $c['parent_sku'],
				'skus'      => $c['skus'],
			);
			break;
		case 'createOffers':
			$calls[] = array(
				'kind'      => 'createOffers',
				'productId' => $c['product_id'],
				'parentId'  => $c['parent_id'],
				'offers'    => $c['offers'],
				'skus'      => $c['skus'],
			);
			break;
		case 'updateProduct':
			$calls[] = array(
				'kind'      => 'updateProduct',
				'productId' => $c['product_id'],
				'sku'       => $c['sku'],
				'body'      => (object) $c['body'],
			) + ( isset( $c['also'] ) ? array( 'also' => $c['also'] ) : array() );
			break;
		default:
			$calls[] = $c;
	}
}
$desired = array();
foreach ( $items as $sku => $item ) {
	try {
		$desired[ $sku ] = array(
			'stock'       => Desired::stock( $item, $settings ),
			'offerHash'   => Desired::offer_hash( $item, $settings ),
			'productHash' => Desired::product_hash( $item, $settings ),
		);
	} catch ( \InvalidArgumentException $e ) {
		$desired[ $sku ] = array( 'error' => 'bad_unit' );
	}
}
echo json_encode(
	array(
		'plan'    => array(
			'calls'   => $calls,
			'done'    => $plan['done'],
			'blocked' => $plan['blocked'],
			'notSent' => $plan['not_sent'],
		),
		'desired' => $desired,
	),
	JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE | JSON_PRESERVE_ZERO_FRACTION
);
