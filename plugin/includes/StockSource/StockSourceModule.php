<?php
/**
 * keyCRM → shop stock: the webhook receiver and the sender's pull routes.
 *
 * @package KeyCrmSync
 */

declare( strict_types=1 );

namespace KeyCrmSync\StockSource;

use KeyCrmSync\Infrastructure\Registerable;
use KeyCrmSync\Outbox\OutboxWriter;
use KeyCrmSync\Outbox\SkuOwners;
use KeyCrmSync\Settings\Settings;

/**
 * Composition of the "keyCRM is the source of stock" mode (and the drift scan of WooCommerce
 * mode). The plugin's composition root builds one instance and calls register(); hooks are added
 * there, never in the constructor.
 */
final class StockSourceModule implements Registerable {

	private StockSourceSchema $schema;
	private StockReceiver $receiver;
	private WebhookController $webhook;
	private WorkerStockController $worker;
	private AdminStockController $admin;

	/**
	 * @param Settings|null  $settings Settings (a new instance when null).
	 * @param EchoGuard|null $echo_guard Echo suppression (a new instance when null).
	 */
	public function __construct( ?Settings $settings = null, ?EchoGuard $echo_guard = null ) {
		$settings       = $settings ?? new Settings();
		$owners         = new SkuOwners();
		$registry       = new RemoteStockRegistry();
		$inbox          = new StockInbox();
		$schedule       = new PullSchedule( $settings );
		$this->schema   = new StockSourceSchema();
		$this->receiver = new StockReceiver( $inbox, new StockApplier( $owners, $registry, $echo_guard ?? new EchoGuard() ), $settings );
		$this->webhook  = new WebhookController( $this->receiver, $settings );
		$this->worker   = new WorkerStockController( $this->receiver, $schedule, $registry );
		$this->admin    = new AdminStockController( $schedule, $registry, $inbox, new OutboxWriter( $owners ) );
	}

	/**
	 * Adds this module's hooks: REST routes, the inbox retry cron event, table install/upgrade.
	 */
	public function register(): void {
		add_action( 'rest_api_init', array( $this, 'register_routes' ) );
		add_action( StockReceiver::CRON_HOOK, array( $this->receiver, 'apply_pending' ) );
		add_action( 'init', array( $this->schema, 'maybe_install' ) );
	}

	/**
	 * Registers the REST routes of this module (namespace keycrm-sync/v1).
	 */
	public function register_routes(): void {
		$this->webhook->register_routes();
		$this->worker->register_routes();
		$this->admin->register_routes();
	}

	/**
	 * Installs or upgrades this module's tables (plugin activation).
	 */
	public function activate(): void {
		$this->schema->install();
	}

	/**
	 * The schema (uninstall drops its tables).
	 */
	public function schema(): StockSourceSchema {
		return $this->schema;
	}
}
