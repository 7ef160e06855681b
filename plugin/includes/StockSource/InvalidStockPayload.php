<?php
/**
 * A stock payload that cannot be accepted.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

/**
 * Thrown by StockPayload when a body is too large, not JSON, or has items of the wrong shape.
 * Carries the HTTP status the REST controllers answer with.
 */
final class InvalidStockPayload extends \InvalidArgumentException {

	/** @var int HTTP status (400 or 413). */
	public readonly int $status;

	/** @var string Machine-readable code. */
	public readonly string $error_code;

	/**
	 * @param string $error_code Machine-readable code.
	 * @param string $message    Plain-words reason.
	 * @param int    $status     HTTP status.
	 */
	private function __construct( string $error_code, string $message, int $status ) {
		parent::__construct( $message );
		$this->error_code = $error_code;
		$this->status     = $status;
	}

	/**
	 * The body exceeds the size limit.
	 *
	 * @param int $bytes Body size.
	 * @param int $limit Limit.
	 */
	public static function too_large( int $bytes, int $limit ): self {
		return new self( 'keycrm_sync_payload_too_large', sprintf( 'Body of %d bytes exceeds the limit of %d bytes.', $bytes, $limit ), 413 );
	}

	/**
	 * Too many items in one payload.
	 *
	 * @param int $count Items.
	 * @param int $limit Limit.
	 */
	public static function too_many_items( int $count, int $limit ): self {
		return new self( 'keycrm_sync_too_many_items', sprintf( '%d items exceed the limit of %d per request.', $count, $limit ), 413 );
	}

	/**
	 * The body is not of the expected shape.
	 *
	 * @param string $reason Plain-words reason.
	 */
	public static function malformed( string $reason ): self {
		return new self( 'keycrm_sync_malformed_payload', $reason, 400 );
	}
}
