<?php
/**
 * Retry delays for failed rows.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Outbox;

/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, the other half
 * random, so retries of many rows that failed together spread out but never come back early.
 */
final class Backoff {

	/**
	 * Constructor.
	 *
	 * @param int $base Delay after the first failure, in seconds.
	 * @param int $cap  Longest delay, in seconds.
	 */
	public function __construct( private int $base = 30, private int $cap = 3600 ) {
	}

	/**
	 * Seconds to wait after the given number of failed attempts (1 = first failure).
	 *
	 * @param int $attempts Attempts so far, including the one that just failed.
	 */
	public function delay( int $attempts ): int {
		$exp  = (int) min( $this->cap, $this->base * ( 2 ** min( 20, max( 0, $attempts - 1 ) ) ) );
		$half = intdiv( $exp, 2 );
		return $exp - $half + random_int( 0, $half );
	}
}
