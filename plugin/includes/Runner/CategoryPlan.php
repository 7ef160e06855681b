<?php
/**
 * The planner's category step (the PHP twin of src/sender/plan-categories.ts).
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Runner;

/**
 * A product is created, or its product-level data updated, with the keyCRM id of its category
 * (`category_id`). The id comes from this run's resolutions or from what the plugin remembers on
 * the WooCommerce category (`category_path[].keycrm_id`, valid only while the category keeps the
 * name and parent it was matched for). Creations and updates whose category has no known id wait
 * for one `categories` call that finds or creates the missing paths in keyCRM (the executor reads
 * keyCRM's category tree once per run, then creates parents first); the next plan sends them.
 */
final class CategoryPlan {

	/**
	 * Key of a path in RunState::$categories.
	 *
	 * @param list<string> $names Level names, root first.
	 */
	public static function key( array $names ): string {
		return implode( "\0", $names );
	}

	/**
	 * The keyCRM category id of an item's category: an int, null when the item sends no category,
	 * false when it is not known yet.
	 *
	 * @param array<string, mixed> $item     Claimed item.
	 * @param array<string, mixed> $settings Sender settings.
	 * @param RunState             $state    Run state.
	 * @return int|false|null
	 */
	public static function id_of( array $item, array $settings, RunState $state ) {
		$path = Desired::category_path( $item, $settings );
		if ( null === $path ) {
			return null;
		}
		$learnt = $state->categories[ self::key( array_map( static fn( $l ) => (string) $l['name'], $path ) ) ] ?? null;
		$leaf   = $path[ count( $path ) - 1 ]['keycrm_id'] ?? null;
		$id     = $learnt ?? $leaf;
		return null === $id || isset( $state->stale_categories[ (int) $id ] ) ? false : (int) $id;
	}

	/**
	 * A body with the item's category id, when it has one.
	 *
	 * @param array<string, mixed> $body     Create or update body.
	 * @param array<string, mixed> $item     The item whose category it carries.
	 * @param array<string, mixed> $settings Sender settings.
	 * @param RunState             $state    Run state.
	 * @return array<string, mixed>
	 */
	public static function with_id( array $body, array $item, array $settings, RunState $state ): array {
		$id = self::id_of( $item, $settings, $state );
		if ( is_int( $id ) ) {
			$body['category_id'] = $id;
		}
		return $body;
	}

	/**
	 * Holds back the creations and product updates whose category id is not known (they leave
	 * the buckets for this plan), gives the updates that stay their category id, and returns the
	 * call that resolves the missing paths (null when none).
	 *
	 * @param array<string, array<string, mixed>> $items      Items in hand.
	 * @param array<string, mixed>                $settings   Sender settings.
	 * @param RunState                            $state      Run state.
	 * @param array<int, int>                     $parent_ids WP parent id => keyCRM product id.
	 * @param array<string, mixed>                $b          The planner's buckets.
	 * @return array{kind:string, paths:list<list<array{term_id:int, name:string}>>, skus:list<string>}|null
	 */
	public static function plan( array $items, array $settings, RunState $state, array $parent_ids, array &$b ): ?array {
		$paths        = array();
		$skus         = array();
		$waits        = static function ( array $item, array $held ) use ( $settings, $state, &$paths, &$skus ): bool {
			if ( false !== self::id_of( $item, $settings, $state ) ) {
				return false;
			}
			$path = (array) Desired::category_path( $item, $settings );
			$paths[ self::key( array_map( static fn( $l ) => (string) $l['name'], $path ) ) ] = array_map(
				static fn( $l ) => array(
					'term_id' => (int) $l['term_id'],
					'name'    => (string) $l['name'],
				),
				$path
			);
			array_push( $skus, ...$held );
			return true;
		};
		$b['imports'] = array_values( array_filter( $b['imports'], static fn( $i ) => ! $waits( $i, array( (string) $i['sku'] ) ) ) );
		$parents      = array_unique( array_merge( array_keys( $b['create'] ), array_keys( $b['variations'] ) ) );
		foreach ( $parents as $parent_id ) {
			if ( isset( $parent_ids[ $parent_id ] ) ) {
				continue;
			}
			$parent     = $b['parents'][ $parent_id ] ?? null;
			$variations = $b['variations'][ $parent_id ] ?? array();
			$sample     = $parent ?? ( $variations[0] ?? null );
			$family     = array_merge(
				null !== $parent && isset( $b['create'][ $parent_id ] ) ? array( (string) $parent['sku'] ) : array(),
				array_map( static fn( $v ) => (string) $v['sku'], $variations )
			);
			if ( null !== $sample && $waits( $sample, $family ) ) {
				unset( $b['create'][ $parent_id ], $b['variations'][ $parent_id ] );
			}
		}
		$updates = array();
		foreach ( $b['updates'] as $call ) {
			$item = 'updateProduct' === $call['kind'] ? ( $items[ $call['sku'] ] ?? null ) : null;
			if ( null === $item ) {
				$updates[] = $call;
			} elseif ( ! $waits( $item, Planner::call_skus( $call ) ) ) {
				$call['body'] = self::with_id( $call['body'], $item, $settings, $state );
				$updates[]    = $call;
			}
		}
		$b['updates'] = $updates;
		return array() === $paths ? null : array(
			'kind'  => 'categories',
			'paths' => array_values( $paths ),
			'skus'  => $skus,
		);
	}
}
