<?php
/**
 * keyCRM's request budget, shared by every PHP request of the site.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\KeyCrm;

/**
 * A token bucket kept as one number in one database row (GCRA: the "theoretical arrival time" of
 * the next request, in ms), changed only by a compare-and-swap UPDATE, so PHP requests running at
 * the same time never spend the same token. A 429 moves that time past keyCRM's Retry-After.
 *
 * Requests are spaced evenly at the settings' rate (`rate_per_minute`, 50 by default: this site's
 * share of keyCRM's 60 per minute per key) with a burst of 60 minus that rate (at most 10, at
 * least 1): no 60-second window ever holds more than 60 requests.
 */
final class RateBudget {

	/** Row in wp_options (not autoloaded; never read through the options cache). */
	public const OPTION = 'keycrm_sync_rate_budget';

	/**
	 * Constructor.
	 *
	 * @param int $rate_per_minute Requests per minute.
	 */
	public function __construct( private int $rate_per_minute ) {
		$this->rate_per_minute = max( 1, min( 60, $rate_per_minute ) );
	}

	/**
	 * Milliseconds between requests.
	 */
	public function interval_ms(): float {
		return 60000 / $this->rate_per_minute;
	}

	/**
	 * Requests that may go back to back after an idle minute.
	 */
	public function burst(): int {
		return max( 1, min( 10, 60 - $this->rate_per_minute ) );
	}

	/**
	 * Takes a token, waiting at most $max_wait_ms for it.
	 *
	 * @param float $max_wait_ms Longest wait inside this call.
	 * @return float 0 when a token was taken, else the ms until one would be available.
	 */
	public function acquire( float $max_wait_ms ): float {
		$tolerance = $this->interval_ms() * ( $this->burst() - 1 );
		for ( $try = 0; $try < 50; $try++ ) {
			$old  = $this->read();
			$now  = self::now_ms();
			$tat  = max( (float) $old, $now );
			$wait = $tat - $tolerance - $now;
			if ( $wait > 0 ) {
				if ( $wait > $max_wait_ms ) {
					return $wait;
				}
				usleep( (int) ceil( $wait * 1000 ) );
				continue;
			}
			if ( $this->swap( $old, $tat + $this->interval_ms() ) ) {
				return 0.0;
			}
		}
		return $this->interval_ms();
	}

	/**
	 * No request before $until (Unix seconds), e.g. keyCRM's Retry-After; the bucket is empty then.
	 *
	 * @param float $until Unix time in seconds.
	 */
	public function block_until( float $until ): void {
		$tolerance = $this->interval_ms() * ( $this->burst() - 1 );
		for ( $try = 0; $try < 50; $try++ ) {
			$old = $this->read();
			$new = max( (float) $old, $until * 1000 + $tolerance );
			if ( (float) $old >= $new || $this->swap( $old, $new ) ) {
				return;
			}
		}
	}

	/**
	 * Unix time (s) when the next token is available (now or earlier when one is).
	 */
	public function next_at(): float {
		$tolerance = $this->interval_ms() * ( $this->burst() - 1 );
		return max( self::now_ms(), (float) $this->read() - $tolerance ) / 1000;
	}

	/**
	 * The stored value ('0' when none).
	 */
	private function read(): string {
		global $wpdb;
		$value = $wpdb->get_var( $wpdb->prepare( "SELECT option_value FROM {$wpdb->options} WHERE option_name = %s", self::OPTION ) );
		if ( null === $value ) {
			$wpdb->query( $wpdb->prepare( "INSERT IGNORE INTO {$wpdb->options} (option_name, option_value, autoload) VALUES (%s, '0', 'off')", self::OPTION ) );
			return '0';
		}
		return (string) $value;
	}

	/**
	 * Compare-and-swap of the stored value.
	 *
	 * @param string $old Value read.
	 * @param float  $value New arrival time (ms).
	 */
	private function swap( string $old, float $value ): bool {
		global $wpdb;
		$affected = $wpdb->query( $wpdb->prepare( "UPDATE {$wpdb->options} SET option_value = %s WHERE option_name = %s AND option_value = %s", sprintf( '%.0f', $value ), self::OPTION, $old ) );
		return 1 === $affected;
	}

	/**
	 * Now in ms.
	 */
	public static function now_ms(): float {
		return floor( microtime( true ) * 1000 );
	}
}
