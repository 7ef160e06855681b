<?php
/**
 * Applying a stored stock batch failed.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

/**
 * The batch is safe in the inbox (pending); WP-Cron retries it.
 */
final class StockApplyFailed extends \RuntimeException {
}
