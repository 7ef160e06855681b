<?php
/**
 * The plugin's keyCRM client fed the answers a broken keyCRM or a proxy gives, from the emulator
 * over real HTTP (its fault hooks): a 502 HTML page, a 200 with truncated JSON, a 200 of the wrong
 * shape, a body that stalls, and 429s whose Retry-After is huge, negative, garbage or a date.
 * Every one is a KeyCrmError the runner retries (`transient`; `unknown` for a create, whose SKUs
 * are looked up before anything is created again); none is read as "keyCRM holds nothing".
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Faults;

use KeyCrmSync\KeyCrm\Client;
use KeyCrmSync\KeyCrm\KeyCrmError;
use KeyCrmSync\KeyCrm\RateBudget;
use KeyCrmSync\Tests\Runner\EmulatorServer;
use KeyCrmSync\Tests\TestCase;

require_once __DIR__ . '/FaultFigures.php';
require_once dirname( __DIR__ ) . '/Runner/EmulatorServer.php';

final class KeyCrmAnswersFaultsTest extends TestCase {

	private const BOUNDARY = 'keyCRM answers (PHP runner client)';

	private const API_KEY = 'faults-key';

	use EmulatorServer;

	protected function setUp(): void {
		parent::setUp();
		delete_option( RateBudget::OPTION );
		self::control( 'reset' );
		self::control(
			'seed',
			array(
				'products' => array(
					array(
						'name'  => 'Shirt',
						'sku'   => 'A-1',
						'price' => 10,
						'stock' => array( '1' => 2 ),
					),
				),
			)
		);
	}

	/** A client with a 2 s request timeout (what a stalled body costs). */
	private static function client(): Client {
		return new Client( self::API_KEY, new RateBudget( 6000 ), 2000, 2 );
	}

	/**
	 * Runs one call and returns the KeyCrmError it threw (fails when it returned).
	 *
	 * @param callable $call The call.
	 */
	private function error_of( callable $call ): KeyCrmError {
		try {
			$out = $call();
		} catch ( KeyCrmError $e ) {
			return $e;
		}
		$this->fail( "returned " . wp_json_encode( $out ) . " instead of failing" );
	}

	public function test_broken_answers_are_errors_the_runner_retries_never_an_empty_keycrm(): void {
		$calls = array(
			'read'   => array( static fn( Client $c ) => $c->list_offers( array( 'limit' => 50 ) ), 'transient' ),
			'lookup' => array( static fn( Client $c ) => $c->find_offers_by_sku( array( 'A-1' ) ), 'transient' ),
			'stock'  => array( static fn( Client $c ) => $c->list_stocks( 1, false ), 'transient' ),
			'create' => array( static fn( Client $c ) => $c->import_products( array( array( 'name' => 'N', 'sku' => 'N-1' ) ) ), 'unknown' ),
		);
		$faults = array(
			"a proxy's 502 HTML page"        => array( 'rateHtml' => 1 ),
			'200 with truncated JSON'        => array( 'rateTruncated' => 1 ),
			'200 with JSON of the wrong shape' => array( 'rateWrongShape' => 1 ),
			'a body that trickles and stalls' => array( 'rateDrip' => 1 ),
		);
		foreach ( $faults as $label => $fault ) {
			foreach ( $calls as $name => list( $call, $kind ) ) {
				self::control( 'faults', $fault + array( 'faultsAfterWork' => false ) );
				$e = $this->error_of( static fn() => $call( self::client() ) );
				$this->assertSame( $kind, $e->kind, "$label ($name): " . $e->getMessage() );
				$this->assertTrue( $e->retryable(), "$label ($name)" );
				self::control( 'faults', array() );
				FaultFigures::record( self::BOUNDARY, "$label ($name)", 'error' );
			}
		}
		// Once the answers are whole again, keyCRM's one offer is there.
		$this->assertArrayHasKey( 'A-1', self::client()->find_offers_by_sku( array( 'A-1' ) ) );
	}

	public function test_retry_after_of_every_kind_blocks_the_budget_within_bounds(): void {
		$cases = array(
			'Retry-After: 86400'                  => array( '86400', 600, 600 ),
			'Retry-After: 1e999'                  => array( '1e999', 60, 60 ),
			'Retry-After: -5'                     => array( '-5', 60, 60 ),
			'Retry-After: garbage'                => array( 'soon, please', 60, 60 ),
			'Retry-After: HTTP date 30 s ahead'   => array( gmdate( 'D, d M Y H:i:s', time() + 30 ) . ' GMT', 28, 31 ),
			'Retry-After: HTTP date in the past'  => array( 'Wed, 21 Oct 2015 07:28:00 GMT', 0, 1 ),
			'Retry-After: HTTP date in year 9999' => array( 'Fri, 31 Dec 9999 23:59:59 GMT', 600, 600 ),
		);
		foreach ( $cases as $label => list( $header, $min, $max ) ) {
			delete_option( RateBudget::OPTION );
			self::control(
				'faults',
				array(
					'rate429'    => 1,
					'retryAfter' => $header,
				)
			);
			$before = microtime( true );
			$e      = $this->error_of( static fn() => self::client()->list_offers( array( 'limit' => 50 ) ) );
			$this->assertSame( 'rate', $e->kind, $label );
			$wait = (float) $e->retry_at - $before;
			$this->assertGreaterThanOrEqual( $min - 1, $wait, $label );
			$this->assertLessThanOrEqual( $max + 1, $wait, $label );
			FaultFigures::record( self::BOUNDARY, $label, 'recovered' );
		}
		self::control( 'faults', array() );
	}
}
