<?php
/**
 * The shared scenarios (test/scenarios/*.json) against the runner inside WordPress.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Runner;

use KeyCrmSync\KeyCrm\RateBudget;
use KeyCrmSync\Plugin;
use KeyCrmSync\Runner\Runner;
use KeyCrmSync\Runner\RunnerSchedule;
use KeyCrmSync\Runner\StockPull;
use KeyCrmSync\StockSource\PullSchedule;
use KeyCrmSync\Tests\TestCase;

require_once __DIR__ . '/EmulatorServer.php';

/**
 * Each scenario file on the real shop: its products made through the WooCommerce CRUD, keyCRM
 * (the emulator over HTTP) seeded, runs of the runner as Action Scheduler gives them until nothing
 * is due, and the same expected keyCRM end state and request count as the Node sender meets in
 * test/scenarios/node-sender.test.ts (which also checks the files against their zod schema).
 * SKUs get a prefix unique to this run, as the shop's database is shared by the PHP tests.
 */
final class ScenarioTest extends TestCase {

	use EmulatorServer;

	private const API_KEY = 'scenario-test-key';

	/** This test's SKU prefix. */
	private string $prefix = '';

	protected function setUp(): void {
		wp_cache_flush();
		parent::setUp();
		$this->use_settings(
			array(
				'api_key'      => self::API_KEY,
				'warehouse_id' => 1,
			)
		);
		foreach ( array( RateBudget::OPTION, Runner::CENSUS_OPTION, Runner::STATUS_OPTION, StockPull::CURSOR_OPTION ) as $option ) {
			delete_option( $option );
		}
		// The periodic drift scan just ran: the requests counted are the push's alone.
		update_option(
			PullSchedule::OPTION,
			array(
				'last_started_at'  => time(),
				'last_finished_at' => time(),
			)
		);
		self::control( 'reset' );
		$this->prefix = 'SC' . getmypid() . bin2hex( random_bytes( 2 ) ) . '-';
	}

	/**
	 * The scenario files.
	 *
	 * @return array<string, array{0: array<string, mixed>}>
	 */
	public static function scenarios(): array {
		$out = array();
		foreach ( glob( dirname( __DIR__, 2 ) . '/scenarios/*.json' ) as $file ) {
			$out[ basename( $file, '.json' ) ] = array( json_decode( (string) file_get_contents( $file ), true, 512, JSON_THROW_ON_ERROR ) );
		}
		return $out;
	}

	public function test_the_runner_meets_every_scenario_file(): void {
		$this->assertGreaterThanOrEqual( 7, count( self::scenarios() ) );
	}

	/**
	 * One scenario.
	 *
	 * @dataProvider scenarios
	 * @param array<string, mixed> $scenario The scenario file.
	 */
	public function test_scenario( array $scenario ): void {
		if ( isset( $scenario['keycrm'] ) ) {
			self::control( 'seed', $this->prefixed_seed( $scenario['keycrm'] ) );
		}
		foreach ( $scenario['shop'] as $product ) {
			$this->make( $product );
		}
		$this->flush();
		if ( isset( $scenario['changes'] ) ) {
			$this->drain();
			$this->assertSame( 0, $this->queue()->backlog(), 'the first sync left work' );
			foreach ( $scenario['changes'] as $change ) {
				$product = wc_get_product( wc_get_product_id_by_sku( $this->prefix . $change['sku'] ) );
				if ( isset( $change['price'] ) ) {
					$product->set_regular_price( (string) $change['price'] );
				}
				if ( isset( $change['stock'] ) ) {
					$product->set_stock_quantity( $change['stock'] );
				}
				$product->save();
			}
			$this->flush();
		}
		$before = self::control( 'stats' );
		$faults = $scenario['faults'] ?? array();
		if ( isset( $faults['rejectSkus'] ) ) {
			$faults['rejectSkus'] = array_map( fn( $s ) => $this->prefix . $s, $faults['rejectSkus'] );
		}
		self::control( 'faults', $faults );
		$runs = $this->drain();
		self::control( 'faults', array() );
		$after = self::control( 'stats' );

		$routes = array();
		foreach ( $after['byRoute'] as $route => $n ) {
			$n -= $before['byRoute'][ $route ] ?? 0;
			if ( 0 !== $n ) {
				$routes[ $route ] = $n;
			}
		}
		$requests = $after['total'] - $before['total'];
		$report   = wp_json_encode( array( $routes, $runs ) );
		$this->assertSame( array(), $this->end_state_problems( self::control( 'state' ), $scenario['expect'] ), $report );
		$expected = $scenario['expect']['requests'];
		if ( isset( $expected['exact'] ) ) {
			$this->assertSame( $expected['exact'], $requests, $report );
		}
		$this->assertLessThanOrEqual( isset( $expected['exact'] ) ? $expected['exact'] : (int) floor( $expected['floor'] * 1.1 ), $requests, $report );
		foreach ( $scenario['expect']['routes'] ?? array() as $route => $n ) {
			$this->assertSame( $n, $routes[ $route ] ?? 0, "$route: $report" );
		}
		$failed = $scenario['expect']['failed'] ?? array();
		foreach ( $this->all_skus( $scenario['shop'] ) as $sku ) {
			$this->assertSame( in_array( $sku, $failed, true ) ? 'failed' : 'synced', $this->row( $this->prefix . $sku )->state, $sku );
		}
	}

	/**
	 * Runs of the runner, each as one Action Scheduler action would run it, until a run finds
	 * nothing due (a SKU keyCRM refused waits for its back-off; a 429 ends a run, the next waits
	 * for the rate budget).
	 *
	 * @return array<int, string> Why each run stopped.
	 */
	private function drain(): array {
		$runs = array();
		for ( $i = 0; $i < 20; $i++ ) {
			$result = Plugin::instance()->runner()->run();
			$runs[] = $result['stopped'] . ':' . $result['claimed'] . ':' . $result['requests'];
			if ( 'empty' === $result['stopped'] && 0 === $result['claimed'] ) {
				break;
			}
		}
		as_unschedule_all_actions( RunnerSchedule::HOOK, array(), RunnerSchedule::GROUP );
		return $runs;
	}

	/**
	 * Makes one product of the scenario in WooCommerce.
	 *
	 * @param array<string, mixed> $p Scenario product.
	 */
	private function make( array $p ): void {
		if ( 'variable' !== ( $p['type'] ?? 'simple' ) ) {
			$product = $this->simple( $this->prefix . $p['sku'], $p['stock'], (string) $p['price'] );
			$product->set_name( $p['name'] );
			$product->save();
			return;
		}
		$attr = new \WC_Product_Attribute();
		$attr->set_name( 'Size' );
		$attr->set_options( array_column( $p['variations'], 'size' ) );
		$attr->set_visible( true );
		$attr->set_variation( true );
		$parent = new \WC_Product_Variable();
		$parent->set_name( $p['name'] );
		$parent->set_sku( isset( $p['sku'] ) ? $this->prefix . $p['sku'] : '' );
		$parent->set_attributes( array( $attr ) );
		$parent->save();
		foreach ( $p['variations'] as $v ) {
			$variation = new \WC_Product_Variation();
			$variation->set_parent_id( $parent->get_id() );
			$variation->set_sku( $this->prefix . $v['sku'] );
			$variation->set_attributes( array( 'size' => $v['size'] ) );
			$variation->set_regular_price( (string) $v['price'] );
			$variation->set_manage_stock( true );
			$variation->set_stock_quantity( $v['stock'] );
			$variation->save();
		}
	}

	/**
	 * The scenario's SKUs of sellable products.
	 *
	 * @param array<int, array<string, mixed>> $shop Scenario products.
	 * @return string[]
	 */
	private function all_skus( array $shop ): array {
		$out = array();
		foreach ( $shop as $p ) {
			if ( isset( $p['variations'] ) ) {
				array_push( $out, ...array_column( $p['variations'], 'sku' ) );
			} else {
				$out[] = $p['sku'];
			}
		}
		return $out;
	}

	/**
	 * The keyCRM seed with this test's SKU prefix.
	 *
	 * @param array<string, mixed> $seed Emulator seed.
	 * @return array<string, mixed>
	 */
	private function prefixed_seed( array $seed ): array {
		foreach ( $seed['products'] ?? array() as $i => $p ) {
			if ( isset( $p['sku'] ) ) {
				$seed['products'][ $i ]['sku'] = $this->prefix . $p['sku'];
			}
			foreach ( $p['offers'] ?? array() as $j => $o ) {
				$seed['products'][ $i ]['offers'][ $j ]['sku'] = $this->prefix . $o['sku'];
			}
		}
		return $seed;
	}

	/**
	 * What differs from the expected keyCRM end state (the PHP twin of endStateProblems() in
	 * test/scenarios/node-sender.test.ts).
	 *
	 * @param array<string, mixed> $state    GET /__emulator/state.
	 * @param array<string, mixed> $expected The scenario's `expect`.
	 * @return string[]
	 */
	private function end_state_problems( array $state, array $expected ): array {
		$problems = array();
		$by_sku   = array();
		$stock    = array();
		foreach ( $state['offers'] as $o ) {
			$by_sku[ substr( (string) $o['sku'], strlen( $this->prefix ) ) ][] = $o;
		}
		foreach ( $state['stock'] as $s ) {
			$stock[ substr( (string) $s['sku'], strlen( $this->prefix ) ) ] = $s['warehouses']['1']['quantity'];
		}
		$held = array_keys( $by_sku );
		$want = array_keys( $expected['offers'] );
		sort( $held );
		sort( $want );
		if ( $held !== $want ) {
			$problems[] = 'offers ' . implode( ',', $held ) . ' ≠ ' . implode( ',', $want );
		}
		$product_of = array();
		foreach ( $expected['offers'] as $sku => $w ) {
			$offers = $by_sku[ $sku ] ?? array();
			if ( 1 !== count( $offers ) ) {
				$problems[] = "$sku: " . count( $offers ) . ' offers';
				continue;
			}
			if ( (float) $offers[0]['price'] !== (float) $w['price'] ) {
				$problems[] = "$sku: price {$offers[0]['price']} ≠ {$w['price']}";
			}
			if ( (float) $stock[ $sku ] !== (float) $w['stock'] ) {
				$problems[] = "$sku: stock {$stock[ $sku ]} ≠ {$w['stock']}";
			}
			$pid = (int) $offers[0]['product_id'];
			if ( isset( $product_of[ $w['product'] ] ) && $product_of[ $w['product'] ] !== $pid ) {
				$problems[] = "$sku: not in the product of \"{$w['product']}\"";
			}
			$product_of[ $w['product'] ] = $pid;
		}
		if ( count( array_unique( $product_of ) ) !== count( $product_of ) ) {
			$problems[] = 'two product labels share one keyCRM product';
		}
		$names = array_column( $state['products'], 'name', 'id' );
		foreach ( $expected['products'] as $label => $p ) {
			$name = $names[ $product_of[ $label ] ?? 0 ] ?? null;
			if ( $name !== $p['name'] ) {
				$problems[] = "product \"$label\": name $name ≠ {$p['name']}";
			}
		}
		if ( 0 !== $state['duplicates'] ) {
			$problems[] = $state['duplicates'] . ' duplicate SKUs created';
		}
		return $problems;
	}
}
