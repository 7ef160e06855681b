<?php
/**
 * Output through WP-CLI.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Cli;

/**
 * WP-CLI's own formatters and messages, so `--format` and colours behave as in core commands.
 */
final class WpCliOutput implements Output {

	/**
	 * {@inheritDoc}
	 *
	 * @param string                     $format Format.
	 * @param list<array<string, mixed>> $rows   Rows.
	 * @param list<string>               $fields Columns.
	 */
	public function items( string $format, array $rows, array $fields ): void {
		\WP_CLI\Utils\format_items( $format, $rows, $fields );
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param string $text Text.
	 */
	public function line( string $text ): void {
		\WP_CLI::line( $text );
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param string $text Text.
	 */
	public function success( string $text ): void {
		\WP_CLI::success( $text );
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param string $text Text.
	 */
	public function warning( string $text ): void {
		\WP_CLI::warning( $text );
	}

	/**
	 * {@inheritDoc}
	 *
	 * @param string $text Text.
	 * @param int    $code Exit code.
	 */
	public function fail( string $text, int $code = 1 ): void {
		if ( 1 === $code ) {
			\WP_CLI::error( $text );
		}
		\WP_CLI::warning( $text );
		\WP_CLI::halt( $code );
	}
}
