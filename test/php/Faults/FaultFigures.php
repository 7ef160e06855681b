<?php
/**
 * Figures of the bad-input and fault suite (PHP side): one JSON line per tried input, written to
 * the file named by KCS_FAULTS_OUT (set by `npm run faults`, which prints the table); without it
 * nothing is written. Same lines as test/faults/figures.ts.
 *
 * @package KeyCrmSync\Tests
 */

namespace KeyCrmSync\Tests\Faults;

/**
 * Records tried inputs.
 */
final class FaultFigures {

	/**
	 * Records one tried input (after its assertions passed).
	 *
	 * @param string $boundary Boundary (e.g. "stock webhook").
	 * @param string $input    What was sent.
	 * @param string $answer   error|skip|accepted|recovered.
	 * @param int    $lost     Good items that did not arrive because of it (asserted 0).
	 * @param int    $items    Good items sent beside the bad input.
	 */
	public static function record( string $boundary, string $input, string $answer, int $lost = 0, int $items = 0 ): void {
		$out = getenv( 'KCS_FAULTS_OUT' );
		if ( false === $out || '' === $out ) {
			return;
		}
		$line = array(
			'boundary' => $boundary,
			'input'    => $input,
			'answer'   => $answer,
			'lost'     => $lost,
		);
		if ( $items > 0 ) {
			$line['items'] = $items;
		}
		file_put_contents( $out, wp_json_encode( $line, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES ) . "\n", FILE_APPEND | LOCK_EX ); // phpcs:ignore WordPress.WP.AlternativeFunctions.file_system_operations_file_put_contents
	}
}
