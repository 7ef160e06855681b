<?php
/**
 * Composition root.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync;

use KeyCrmSync\Admin\AdminPage;
use KeyCrmSync\Admin\ProductsColumn;
use KeyCrmSync\Capture\CategoryHooks;
use KeyCrmSync\Capture\ChangeBuffer;
use KeyCrmSync\Capture\LifecycleHooks;
use KeyCrmSync\Capture\ProductHooks;
use KeyCrmSync\Cli\Output;
use KeyCrmSync\Cli\RunnerCommand;
use KeyCrmSync\Cli\SyncCommand;
use KeyCrmSync\Cli\WpCliOutput;
use KeyCrmSync\Install\Installer;
use KeyCrmSync\Outbox\Backoff;
use KeyCrmSync\Outbox\OutboxQueue;
use KeyCrmSync\Outbox\OutboxReader;
use KeyCrmSync\Outbox\OutboxWriter;
use KeyCrmSync\Outbox\Resync;
use KeyCrmSync\Outbox\SettingsRequeue;
use KeyCrmSync\Problems\ProblemFinder;
use KeyCrmSync\Rest\AdminController;
use KeyCrmSync\Rest\RestRoutes;
use KeyCrmSync\Rest\SenderSettingsController;
use KeyCrmSync\Rest\SenderUserController;
use KeyCrmSync\Rest\SettingsController;
use KeyCrmSync\Rest\WebhookSecretController;
use KeyCrmSync\Rest\WorkerController;
use KeyCrmSync\Runner\Runner;
use KeyCrmSync\Runner\RunnerMode;
use KeyCrmSync\Runner\RunnerSchedule;
use KeyCrmSync\Runner\StockPull;
use KeyCrmSync\Settings\Heartbeat;
use KeyCrmSync\Settings\Settings;
use KeyCrmSync\Sku\SkuOwners;
use KeyCrmSync\Snapshot\ItemSnapshot;
use KeyCrmSync\Status\StatusReport;
use KeyCrmSync\StockSource\StockSourceModule;

/**
 * Builds the plugin's services by hand and registers their hooks. No logic lives here.
 */
final class Plugin {

	/** The one instance. */
	private static ?self $instance = null;

	/** Per-request buffer of dirty SKUs (public for tests, CLI imports and other modules). */
	public readonly ChangeBuffer $buffer;

	/** Outbox reads for the admin screens and the products column. */
	public readonly OutboxReader $reader;

	/** Settings. */
	public readonly Settings $settings;

	/** keyCRM → shop stock (webhook, pull routes, inbox). */
	public readonly StockSourceModule $stock_source;

	/** Whether register() ran. */
	private bool $registered = false;

	/**
	 * Builds the object graph (no hooks yet).
	 */
	private function __construct() {
		$owners             = new SkuOwners();
		$this->settings     = new Settings();
		$this->buffer       = new ChangeBuffer( new OutboxWriter( $owners ) );
		$this->reader       = new OutboxReader();
		$this->stock_source = new StockSourceModule( $this->settings, $owners );
	}

	/**
	 * The shared instance.
	 */
	public static function instance(): self {
		self::$instance ??= new self();
		return self::$instance;
	}

	/**
	 * Registers every service's hooks once.
	 */
	public function register(): void {
		if ( $this->registered ) {
			return;
		}
		$this->registered = true;
		Installer::maybe_upgrade();
		$crud      = new ProductHooks( $this->buffer );
		$heartbeat = new Heartbeat();
		$services  = array(
			$crud,
			new LifecycleHooks( $this->buffer, $crud ),
			new CategoryHooks( $this->buffer, new SettingsRequeue() ),
			new RestRoutes(
				array(
					new WorkerController( new OutboxQueue( new Backoff() ), new ItemSnapshot(), $this->settings, $heartbeat ),
					new AdminController( $this->reader, new Resync(), new ProblemFinder(), $this->settings, $heartbeat ),
					new SettingsController( $this->settings ),
					new WebhookSecretController( $this->settings ),
					new SenderUserController(),
					new SenderSettingsController( $this->settings, new ProblemFinder() ),
				)
			),
			new AdminPage( KEYCRM_SYNC_FILE ),
			new ProductsColumn(),
			$this->stock_source,
			new RunnerSchedule( $this->runner(), new RunnerMode( $this->settings, $heartbeat ), $this->stock_pull() ),
		);
		foreach ( $services as $service ) {
			$service->register();
		}
		if ( defined( 'WP_CLI' ) && WP_CLI ) {
			\WP_CLI::add_command( 'keycrm-sync', $this->cli_command( new WpCliOutput() ) );
			\WP_CLI::add_command( 'keycrm-sync sync', array( $this->runner_command( new WpCliOutput() ), 'sync' ) );
		}
	}

	/**
	 * The `wp keycrm-sync` command object.
	 *
	 * @param Output $out Where it writes.
	 */
	public function cli_command( Output $out ): SyncCommand {
		$resync   = new Resync();
		$problems = new ProblemFinder();
		$status   = new StatusReport( $this->reader, $resync, $problems, $this->settings, new Heartbeat() );
		return new SyncCommand( $status, $resync, $this->reader, $problems, $this->settings, $out );
	}

	/**
	 * The runner inside WordPress.
	 */
	public function runner(): Runner {
		return new Runner( new OutboxQueue( new Backoff() ), new ItemSnapshot(), $this->settings, new Heartbeat() );
	}

	/**
	 * The periodic keyCRM stock pull inside WordPress.
	 */
	public function stock_pull(): StockPull {
		$source = $this->stock_source;
		return new StockPull( $this->settings, $source->schedule(), $source->receiver(), $source->registry() );
	}

	/**
	 * The `wp keycrm-sync sync` command object.
	 *
	 * @param Output $out Where it writes.
	 */
	public function runner_command( Output $out ): RunnerCommand {
		return new RunnerCommand( $this->runner(), new OutboxQueue( new Backoff() ), $out );
	}
}
