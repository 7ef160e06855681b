<?php
/**
 * The plugin's clock: the wall clock, or a test's frozen time that outbox leases follow.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Infrastructure;

use KeyCrmSync\Infrastructure\Clock;
use KeyCrmSync\Infrastructure\Dates;
use KeyCrmSync\Tests\TestCase;

final class ClockTest extends TestCase {

	public function test_reads_the_wall_clock_until_a_test_moves_it(): void {
		$before = time();
		$now    = Clock::now();
		$this->assertGreaterThanOrEqual( $before, $now );
		$this->assertLessThanOrEqual( time(), $now );

		$this->advance_clock( 3600 );
		$frozen = Clock::now();
		$this->assertGreaterThanOrEqual( $before + 3600, $frozen );
		$this->assertSame( $frozen, Clock::now(), 'stands still until advanced' );
		$this->assertSame( gmdate( 'Y-m-d H:i:s', $frozen + 5 ), Dates::mysql( 5 ), 'the outbox reads the same clock' );
	}

	public function test_a_lease_runs_out_when_the_clock_passes_it(): void {
		$sku = self::sku();
		$this->simple( $sku );
		$this->flush();
		$this->advance_clock( 0 );
		$this->assertSame( array( $sku ), array_keys( $this->claim_items() ) );
		$this->assertSame( array(), $this->claim_items(), 'leased for 60 s' );
		$this->advance_clock( 59 );
		$this->assertSame( array(), $this->claim_items(), 'still leased after 59 s' );
		$this->advance_clock( 1 );
		$this->assertSame( array( $sku ), array_keys( $this->claim_items() ), 'free again after 60 s' );
	}
}
