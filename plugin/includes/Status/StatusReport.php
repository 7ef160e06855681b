<?php
/**
 * The sync status shown by the Overview screen, GET /status and `wp keycrm-sync status`.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\Status;

use KeyCrmSync\Infrastructure\Clock;
use KeyCrmSync\Infrastructure\Dates;
use KeyCrmSync\Outbox\NeedsResync;
use KeyCrmSync\Outbox\OutboxReader;
use KeyCrmSync\Outbox\Resync;
use KeyCrmSync\Problems\ProblemFinder;
use KeyCrmSync\Runner\RunnerMode;
use KeyCrmSync\Settings\Heartbeat;
use KeyCrmSync\Settings\Settings;

/**
 * Gathers outbox counts, resync progress, the sender's heartbeat, the problem count and whether
 * the settings are complete into one report (the SyncStatus of the REST contract).
 */
final class StatusReport {

	/**
	 * Takes the services it reads.
	 *
	 * @param OutboxReader  $reader    Outbox reads.
	 * @param Resync        $resync    Resync progress.
	 * @param ProblemFinder $problems  SKU problems.
	 * @param Settings      $settings  Settings.
	 * @param Heartbeat     $heartbeat Sender heartbeat.
	 */
	public function __construct( private OutboxReader $reader, private Resync $resync, private ProblemFinder $problems, private Settings $settings, private Heartbeat $heartbeat ) {
	}

	/**
	 * The report.
	 *
	 * @return array<string, mixed>
	 */
	public function build(): array {
		$counts = $this->reader->counts();
		$oldest = $counts['oldest_pending_at'];
		return $counts + array(
			'oldest_pending_age_seconds' => null === $oldest ? null : max( 0, Clock::now() - (int) strtotime( $oldest ) ),
			'resync'                     => $this->resync->progress(),
			'sender'                     => $this->heartbeat->status(),
			'problems'                   => $this->problems->count(),
			'settings_complete'          => $this->settings->complete(),
			'runner'                     => ( new RunnerMode( $this->settings, $this->heartbeat ) )->report(),
			'needs_resync'               => self::needs_resync(),
		);
	}

	/**
	 * The "needs resync" flag for the Overview (null when not set).
	 *
	 * @return array{since:string}|null The time only: the database's message is in the PHP error log.
	 */
	private static function needs_resync(): ?array {
		$flag = NeedsResync::get();
		return null === $flag ? null : array( 'since' => Dates::iso_ts( $flag['since'] ) );
	}
}
