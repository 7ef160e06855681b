<?php
/**
 * A ClaimedItem kept as its JSON text until the response is encoded.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Snapshot;

/**
 * A claim of 10,000 items held as PHP arrays costs ~4 KB per item; held as JSON text it costs
 * what the JSON weighs (~0.7 KB). json_encode() expands one item at a time while writing the
 * response, so the peak stays near the size of the response itself.
 */
final class EncodedItem implements \JsonSerializable {

	/**
	 * Constructor.
	 *
	 * @param string $json The item encoded as a JSON object.
	 */
	public function __construct( private string $json ) {
	}

	/**
	 * The item for json_encode() (objects decoded as stdClass, so `{}` and `[]` survive).
	 *
	 * @return mixed
	 */
	public function jsonSerialize(): mixed {
		return json_decode( $this->json, false );
	}
}
