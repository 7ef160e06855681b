<?php
/**
 * Date formatting for REST responses.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Infrastructure;

/**
 * The outbox stores UTC DATETIMEs; REST responses carry ISO-8601 UTC strings.
 */
final class Dates {

	/**
	 * "2026-11-27 15:28:07" (UTC) → "2026-11-27T15:28:07Z"; null stays null.
	 *
	 * @param string|null $mysql UTC DATETIME.
	 */
	public static function iso( ?string $mysql ): ?string {
		if ( null === $mysql || '' === $mysql || str_starts_with( $mysql, '0000' ) ) {
			return null;
		}
		return str_replace( ' ', 'T', $mysql ) . 'Z';
	}

	/**
	 * Unix timestamp → ISO-8601 UTC.
	 *
	 * @param int $ts Timestamp.
	 */
	public static function iso_ts( int $ts ): string {
		return gmdate( 'Y-m-d\TH:i:s\Z', $ts );
	}

	/**
	 * Now (or now + seconds) as a UTC DATETIME, on the plugin's clock.
	 *
	 * @param int $plus Seconds to add.
	 */
	public static function mysql( int $plus = 0 ): string {
		return Clock::mysql( $plus );
	}
}
