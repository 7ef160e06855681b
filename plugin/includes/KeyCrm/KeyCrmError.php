<?php
/**
 * A failed keyCRM call.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\KeyCrm;

/**
 * One exception for every failed call; $kind tells callers what it means:
 * `auth` (401: the key is wrong), `rate` (429: nothing was done, wait until $retry_at),
 * `validation` (422/400: keyCRM refused the body, $errors names fields like `stocks.3.sku`),
 * `transient` (a timeout, reset or 5xx of a call that may be repeated), `unknown` (the same for a
 * create: it may have landed, so look the SKUs up before sending it again), `budget` (no request
 * was sent: the shared rate budget has no token before $retry_at).
 */
final class KeyCrmError extends \RuntimeException {

	/**
	 * Constructor.
	 *
	 * @param string                      $kind     auth|rate|validation|transient|unknown|budget|rejected.
	 * @param string                      $message  Message.
	 * @param int                         $status   HTTP status (0 when none).
	 * @param float|null                  $retry_at Unix time (s) before which no request may go.
	 * @param array<string, list<string>> $errors   Field path => messages (validation).
	 */
	public function __construct( public readonly string $kind, string $message, public readonly int $status = 0, public readonly ?float $retry_at = null, public readonly array $errors = array() ) {
		parent::__construct( $message );
	}

	/**
	 * Whether the same call may succeed later.
	 */
	public function retryable(): bool {
		return in_array( $this->kind, array( 'rate', 'transient', 'unknown', 'budget' ), true );
	}

	/**
	 * Row indexes named by the error keys for an array field (e.g. `stocks`).
	 *
	 * @param string $field Array field of the body.
	 * @return list<int>
	 */
	public function row_indexes( string $field ): array {
		$found = array();
		foreach ( array_keys( $this->errors ) as $key ) {
			if ( preg_match( '/^' . preg_quote( $field, '/' ) . '\.(\d+)(\.|$)/', (string) $key, $m ) ) {
				$found[ (int) $m[1] ] = true;
			}
		}
		$out = array_keys( $found );
		sort( $out );
		return $out;
	}

	/**
	 * keyCRM's messages for one row of an array field.
	 *
	 * @param string $field Array field.
	 * @param int    $i     Row index.
	 */
	public function row_message( string $field, int $i ): string {
		$prefix = $field . '.' . $i;
		$msgs   = array();
		foreach ( $this->errors as $key => $list ) {
			$key = (string) $key;
			if ( $key === $prefix || str_starts_with( $key, $prefix . '.' ) ) {
				$name = substr( $key, strlen( $prefix ) + 1 );
				foreach ( (array) $list as $m ) {
					$msgs[] = ( '' !== $name ? $name : $field ) . ': ' . (string) $m;
				}
			}
		}
		return 'keyCRM rejected the row: ' . ( array() !== $msgs ? implode( '; ', $msgs ) : $this->getMessage() );
	}
}
