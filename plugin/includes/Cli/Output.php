<?php
/**
 * Where the WP-CLI commands write: WP-CLI itself, or a recorder in the tests.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Cli;

/**
 * The few things a command says.
 */
interface Output {

	/**
	 * Rows in a WP-CLI format (table, json, csv, yaml, count, ids).
	 *
	 * @param string                           $format Format.
	 * @param list<array<string, mixed>>       $rows   Rows.
	 * @param list<string>                     $fields Columns, in order.
	 */
	public function items( string $format, array $rows, array $fields ): void;

	/**
	 * A plain line.
	 *
	 * @param string $text Text.
	 */
	public function line( string $text ): void;

	/**
	 * A success message.
	 *
	 * @param string $text Text.
	 */
	public function success( string $text ): void;

	/**
	 * A warning (on stderr).
	 *
	 * @param string $text Text.
	 */
	public function warning( string $text ): void;

	/**
	 * An error, then the command ends with the exit code.
	 *
	 * @param string $text Text.
	 * @param int    $code Exit code (1 or more).
	 */
	public function fail( string $text, int $code = 1 ): void;
}
