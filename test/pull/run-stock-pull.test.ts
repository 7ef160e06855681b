/** @jest-environment node */
import type {
	StockApplyRequest,
	StockApplyResponse,
	StockPullReport,
	StockPullState,
} from '@keycrm-sync/contract';
import { applySeed } from '../../src/emulator/seed';
import { maybeRunStockPull, runStockPull } from '../../src/pull/run-stock-pull';
import type { StockSourceApi } from '../../src/pull/stock-source-client';
import { StockPullTicker } from '../../src/pull/stock-pull-ticker';
import { manualClock } from '../../src/util/clock';
import { useKeyCrmEmulator } from '../helpers/keycrm';

const env = useKeyCrmEmulator( { warehouses: [ 1, 2 ] } );

/** Records what the pull sends to the plugin; answers every item as `applied`. */
class RecordingPlugin implements StockSourceApi {
	batches: StockApplyRequest[] = [];
	reports: StockPullReport[] = [];
	due = true;
	failOnBatch = -1;
	asked = 0;

	async pullState(): Promise< StockPullState > {
		this.asked++;
		return this.state();
	}
	state(): StockPullState {
		return {
			due: this.due,
			reason: this.due ? 'interval' : 'not_yet',
			stock_source: 'keycrm',
			stock_apply: 'available',
			interval_minutes: 5,
			last_started_at: null,
			last_finished_at: null,
			requested_at: null,
			last_result: null,
		};
	}
	async reportPull( report: StockPullReport ): Promise< StockPullState > {
		this.reports.push( report );
		return this.state();
	}
	async applyStock( req: StockApplyRequest ): Promise< StockApplyResponse > {
		if ( this.batches.length === this.failOnBatch ) {
			throw new Error( 'site down' );
		}
		this.batches.push( req );
		return {
			stock_source: 'keycrm',
			queued: false,
			results: [],
			counts: { applied: req.items.length },
		};
	}
	items() {
		return this.batches.flatMap( ( b ) => b.items );
	}
}

function seed( n: number ): void {
	applySeed( env.emulator.store, {
		products: Array.from( { length: n }, ( _, i ) => ( {
			name: `P${ i }`,
			sku: `SKU-${ i }`,
			stock: { 1: i, 2: 1000 + i },
		} ) ),
	} );
	// Reserve 1 of SKU-3 in warehouse 1.
	const offer = env.emulator.store.findBySku( 'SKU-3' )[ 0 ];
	env.emulator.store.setStock( offer?.id ?? 0, 1, { reserve: 1 } );
}

describe( 'runStockPull', () => {
	it( 'reads every page (limit 50, details) and sends the warehouse numbers in batches', async () => {
		seed( 120 );
		const plugin = new RecordingPlugin();
		const summary = await runStockPull( {
			keycrm: env.client(),
			plugin,
			warehouseId: 1,
			batchSize: 100,
		} );
		expect( summary ).toEqual( {
			pages: 3,
			scanned: 120,
			counts: { applied: 120 },
			complete: true,
			error: null,
		} );
		expect( plugin.batches.map( ( b ) => b.items.length ) ).toEqual( [
			100, 20,
		] );
		expect(
			plugin.items().find( ( i ) => i.sku === 'SKU-3' )
		).toMatchObject( { in_stock: 3, in_reserve: 1 } );
		expect(
			plugin.items().find( ( i ) => i.sku === 'SKU-119' )
		).toMatchObject( { in_stock: 119, in_reserve: 0 } );
		expect( env.emulator.stats().byRoute[ 'GET /offers/stocks' ] ).toBe(
			3
		);
		expect( plugin.reports ).toEqual( [
			{ event: 'start' },
			{
				event: 'finish',
				complete: true,
				pages: 3,
				scanned: 120,
				counts: { applied: 120 },
				error: null,
			},
		] );
	} );

	it( 'uses account totals without a warehouse', async () => {
		seed( 5 );
		const plugin = new RecordingPlugin();
		await runStockPull( {
			keycrm: env.client(),
			plugin,
			warehouseId: null,
		} );
		expect(
			plugin.items().find( ( i ) => i.sku === 'SKU-3' )
		).toMatchObject( { in_stock: 1006, in_reserve: 1 } );
	} );

	it( 'reports an incomplete pull when the plugin fails, and rethrows', async () => {
		seed( 60 );
		const plugin = new RecordingPlugin();
		plugin.failOnBatch = 1;
		await expect(
			runStockPull( {
				keycrm: env.client(),
				plugin,
				warehouseId: 1,
				batchSize: 50,
			} )
		).rejects.toThrow( 'site down' );
		expect( plugin.reports.at( -1 ) ).toMatchObject( {
			event: 'finish',
			complete: false,
			error: 'site down',
		} );
	} );

	it( 'maybeRunStockPull does nothing (no keyCRM request) when no pull is due', async () => {
		seed( 5 );
		const plugin = new RecordingPlugin();
		plugin.due = false;
		expect(
			await maybeRunStockPull( {
				keycrm: env.client(),
				plugin,
				warehouseId: 1,
			} )
		).toBeNull();
		expect( env.emulator.stats().total ).toBe( 0 );
		plugin.due = true;
		expect(
			(
				await maybeRunStockPull( {
					keycrm: env.client(),
					plugin,
					warehouseId: 1,
				} )
			)?.scanned
		).toBe( 5 );
	} );
} );

describe( 'StockPullTicker', () => {
	it( 'asks the plugin at most every checkEveryMs, skips without deps and survives failures', async () => {
		seed( 3 );
		const clock = manualClock();
		const plugin = new RecordingPlugin();
		let enabled = false;
		const errors: unknown[] = [];
		const ticker = new StockPullTicker( {
			clock,
			checkEveryMs: 30_000,
			deps: () =>
				enabled
					? { keycrm: env.client(), plugin, warehouseId: 1 }
					: null,
			onError: ( e ) => errors.push( e ),
		} );
		expect( await ticker.tick() ).toBeNull(); // No deps (e.g. no API key): nothing asked.
		expect( plugin.asked ).toBe( 0 );
		enabled = true;
		expect( await ticker.tick() ).toBeNull(); // Too soon after the last check.
		await clock.advance( 30_000 );
		expect( ( await ticker.tick() )?.scanned ).toBe( 3 );
		expect( plugin.asked ).toBe( 1 );
		await clock.advance( 30_000 );
		plugin.failOnBatch = 1; // Second pull's first batch fails.
		expect( await ticker.tick() ).toBeNull();
		expect( errors ).toHaveLength( 1 );
		await clock.advance( 30_000 );
		plugin.failOnBatch = -1;
		expect( ( await ticker.tick() )?.complete ).toBe( true );
	} );
} );
