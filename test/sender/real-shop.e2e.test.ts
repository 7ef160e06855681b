/** @jest-environment node */
/**
 * End to end on a real WordPress + WooCommerce with the plugin (test/shop)
 * and the keyCRM emulator as an HTTP server: the CLI worker (a real child
 * process) syncs a catalogue made through WooCommerce's own code paths (its
 * CSV product importer, and REST): every sellable SKU is exactly one keyCRM
 * offer with the price a buyer pays, its stock and barcode, in its category;
 * the variations of one parent share one keyCRM product; nothing is created
 * for what the settings keep out; a storefront checkout of a variation
 * reaches keyCRM within 15 s; and a worker killed with SIGKILL in the middle
 * of a batch and restarted converges with no duplicates.
 *
 * Needs WordPress and WooCommerce (WP_CORE_DIR / WC_DIR, or scripts/wp-env.sh);
 * without them it fails under CI=true and is skipped, loudly, elsewhere.
 * Ports: KCS_REAL_SHOP_PORT (default 8122), KCS_REAL_SHOP_EMULATOR_PORT (9422).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

import {
	startEmulatorServer,
	type EmulatorServer,
} from '../../src/emulator/server';
import { describeOrSkip } from '../helpers/skip';
import { ShopHarness, shopMissing } from '../shop/shop';

const ROOT = join( __dirname, '../..' );
const SHOP_PORT = Number(
	process.env.KCS_REAL_SHOP_PORT ??
		process.env.KCS_SENDER_E2E_SHOP_PORT ??
		8122
);
const EMU_PORT = Number(
	process.env.KCS_REAL_SHOP_EMULATOR_PORT ??
		process.env.KCS_SENDER_E2E_EMULATOR_PORT ??
		9422
);
const SITE_DIR = `/tmp/kcs-sender-e2e-shop-${ SHOP_PORT }`;
const KEY = 'e2e-key';
const shop = new ShopHarness( ROOT );
const maybe = describeOrSkip( 'real-shop e2e (sender)', shopMissing( ROOT ) );

let site = '';
let auth = '';
let emu: EmulatorServer;

/**
 * Call the shop's REST API as the admin.
 *
 * @param method HTTP method.
 * @param path   Path under /wp-json/.
 * @param body   JSON body.
 */
async function rest< T = unknown >(
	method: string,
	path: string,
	body?: unknown
): Promise< T > {
	const res = await fetch( `${ site }/wp-json/${ path }`, {
		method,
		headers: { Authorization: auth, 'Content-Type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify( body ),
	} );
	const text = await res.text();
	if ( ! res.ok ) {
		throw new Error(
			`${ method } ${ path }: ${ res.status } ${ text.slice( 0, 300 ) }`
		);
	}
	return JSON.parse( text ) as T;
}

/**
 * Start the CLI worker.
 *
 * @param user Login.
 * @param pass Application password.
 */
function startWorker( user: string, pass: string ): ChildProcess {
	return spawn(
		process.execPath,
		[
			'--import',
			'tsx',
			join( __dirname, '../../src/cli.ts' ),
			'worker',
			'--lease-seconds',
			'30',
		],
		{
			env: {
				...process.env,
				KEYCRM_SYNC_SITE: site,
				KEYCRM_SYNC_USER: user,
				KEYCRM_SYNC_APP_PASSWORD: pass,
				KEYCRM_API_URL: `${ emu.url }/v1`,
			},
			stdio: [ 'ignore', 'ignore', 'pipe' ],
		}
	);
}

/**
 * Poll until `check` holds or `ms` pass.
 *
 * @param check Condition.
 * @param ms    Timeout.
 */
async function until(
	check: () => boolean | Promise< boolean >,
	ms: number
): Promise< boolean > {
	const end = Date.now() + ms;
	while ( Date.now() < end ) {
		if ( await check() ) {
			return true;
		}
		await new Promise( ( r ) => setTimeout( r, 200 ) );
	}
	return check();
}

interface WcProduct {
	id: number;
	sku: string;
	type: string;
	status: string;
	price: string;
	stock_quantity: number | null;
	global_unique_id?: string;
	categories?: Array< { id: number } >;
	variations: number[];
}

/** What keyCRM must hold for one sellable SKU. */
interface Wanted {
	stock: number;
	price: number;
	barcode: string | null;
	/** Category path of its product ("A/B"), '' without one. */
	category: string;
	/** WooCommerce id of its variable product (variations). */
	parent: number | null;
}

/** Every sellable SKU the default settings send (published, not external), with what keyCRM must hold. */
async function shopCatalogue(): Promise< Map< string, Wanted > > {
	const cats = new Map(
		(
			await rest<
				Array< {
					id: number;
					name: string;
					parent: number;
					slug: string;
				} >
			>( 'GET', 'wc/v3/products/categories?per_page=100' )
		).map( ( c ) => [ c.id, c ] )
	);
	const path = ( p: WcProduct ): string => {
		const names: string[] = [];
		// WooCommerce's default category counts as none.
		const own = ( p.categories ?? [] ).filter(
			( c ) => cats.get( c.id )?.slug !== 'uncategorized'
		);
		for (
			let id = own[ 0 ]?.id ?? 0;
			id !== 0 && cats.has( id );
			id = cats.get( id )?.parent ?? 0
		) {
			names.unshift( cats.get( id )?.name ?? '' );
		}
		return names.join( '/' );
	};
	const wanted = (
		p: WcProduct,
		category: string,
		parent: number | null
	) => ( {
		stock: Math.max( 0, p.stock_quantity ?? 0 ),
		price: Number( p.price ),
		barcode: p.global_unique_id || null,
		category,
		parent,
	} );
	const out = new Map< string, Wanted >();
	const products = await rest< WcProduct[] >(
		'GET',
		'wc/v3/products?per_page=100'
	);
	for ( const p of products ) {
		if ( p.status !== 'publish' || p.type === 'external' ) {
			continue;
		}
		if ( p.type === 'variable' ) {
			const vars = await rest< WcProduct[] >(
				'GET',
				`wc/v3/products/${ p.id }/variations?per_page=100`
			);
			vars.forEach( ( v ) =>
				out.set( v.sku, wanted( v, path( p ), p.id ) )
			);
		} else {
			out.set( p.sku, wanted( p, path( p ), null ) );
		}
	}
	return out;
}

/**
 * Why keyCRM does not hold what the shop sells, per SKU (empty: it does).
 *
 * @param want What keyCRM must hold, by SKU.
 */
function catalogueDifferences( want: Map< string, Wanted > ): string[] {
	const store = emu.emulator.store;
	const keycrmPath = ( id: number | null ): string => {
		const c = id === null ? undefined : store.categories.get( id );
		return c
			? [ keycrmPath( c.parent_id ?? null ), c.name ]
					.filter( Boolean )
					.join( '/' )
			: '';
	};
	const bad: string[] = [];
	for ( const [ sku, w ] of want ) {
		const offers = store.findBySku( sku );
		const offer = offers[ 0 ];
		const got = offer && {
			stock: store.cell( offer.id, 1 ).quantity,
			price: offer.price,
			barcode: offer.barcode,
			category: keycrmPath(
				store.products.get( offer.product_id )?.category_id ?? null
			),
		};
		const { parent, ...expected } = w;
		if (
			offers.length !== 1 ||
			JSON.stringify( got ) !== JSON.stringify( expected )
		) {
			bad.push(
				`${ sku }: ${ offers.length } offers, ${ JSON.stringify( got ) } ≠ ${ JSON.stringify( expected ) } (parent ${ parent })`
			);
		}
	}
	for ( const offer of store.offers.values() ) {
		if ( offer.sku === null || ! want.has( offer.sku ) ) {
			bad.push( `${ offer.sku }: in keyCRM, not sold by the shop` );
		}
	}
	return bad;
}

/**
 * A storefront order through WooCommerce's Store API, as the block checkout
 * places it: add to cart, then checkout with cash on delivery (the session
 * cookie and nonce kept between the requests).
 *
 * @param items Product (or variation) ids and quantities.
 */
async function storefrontOrder(
	items: Array< { id: number; quantity: number } >
): Promise< { order_id: number; status: string } > {
	const cookies = new Map< string, string >();
	let nonce = '';
	const call = async ( route: string, body?: object ): Promise< unknown > => {
		const response = await fetch( `${ site }/wp-json${ route }`, {
			method: body ? 'POST' : 'GET',
			headers: {
				'Content-Type': 'application/json',
				Nonce: nonce,
				Cookie: [ ...cookies ]
					.map( ( [ k, v ] ) => `${ k }=${ v }` )
					.join( '; ' ),
			},
			body: body ? JSON.stringify( body ) : undefined,
		} );
		for ( const cookie of response.headers.getSetCookie() ) {
			const [ pair = '' ] = cookie.split( ';' );
			const at = pair.indexOf( '=' );
			cookies.set( pair.slice( 0, at ), pair.slice( at + 1 ) );
		}
		nonce = response.headers.get( 'Nonce' ) ?? nonce;
		const json: unknown = await response.json();
		if ( ! response.ok ) {
			throw new Error(
				`${ route }: HTTP ${ response.status } ${ JSON.stringify( json ) }`
			);
		}
		return json;
	};
	await call( '/wc/store/v1/cart' );
	for ( const item of items ) {
		await call( '/wc/store/v1/cart/add-item', item );
	}
	const address = {
		first_name: 'Test',
		last_name: 'Buyer',
		address_1: '1 Khreshchatyk St',
		city: 'Kyiv',
		state: 'UA30',
		postcode: '01001',
		country: 'UA',
		phone: '+380441234567',
	};
	return ( await call( '/wc/store/v1/checkout', {
		billing_address: { ...address, email: 'buyer@example.com' },
		shipping_address: address,
		payment_method: 'cod',
	} ) ) as { order_id: number; status: string };
}

/** Every SKU the default settings send (published, not external) with its stock (variations included). */
async function shopStock(): Promise< Map< string, number > > {
	const out = new Map< string, number >();
	const products = await rest< WcProduct[] >(
		'GET',
		'wc/v3/products?per_page=100'
	);
	for ( const p of products ) {
		if ( p.status !== 'publish' || p.type === 'external' ) {
			continue;
		}
		if ( p.type === 'variable' ) {
			const vars = await rest< WcProduct[] >(
				'GET',
				`wc/v3/products/${ p.id }/variations?per_page=100`
			);
			vars.forEach( ( v ) => out.set( v.sku, v.stock_quantity ?? 0 ) );
		} else {
			out.set( p.sku, p.stock_quantity ?? 0 );
		}
	}
	return out;
}

/**
 * SKUs whose keyCRM stock differs from the shop, or that exist more than once.
 *
 * @param want Shop stock by SKU.
 */
function differences( want: Map< string, number > ): string[] {
	const store = emu.emulator.store;
	const bad: string[] = [];
	for ( const [ sku, qty ] of want ) {
		const offers = store.findBySku( sku );
		const offer = offers[ 0 ];
		if (
			offers.length !== 1 ||
			! offer ||
			store.cell( offer.id, 1 ).quantity !== Math.max( 0, qty )
		) {
			bad.push( sku );
		}
	}
	return bad;
}

/**
 * Create `n` simple products and `v` variable products of 5 variations; the
 * first `skuless` variable products have no SKU of their own (only their
 * variations have one).
 *
 * @param prefix     SKU prefix.
 * @param n          Simple products.
 * @param v          Variable products.
 * @param skuless    Variable products without a parent SKU.
 * @param categories Category ids the products take in turn.
 */
async function createProducts(
	prefix: string,
	n: number,
	v: number,
	skuless = 0,
	categories: number[] = []
): Promise< void > {
	const category = ( i: number ) =>
		categories.length
			? { categories: [ { id: categories[ i % categories.length ] } ] }
			: {};
	for ( let i = 0; i < n; i++ ) {
		await rest( 'POST', 'wc/v3/products', {
			name: `${ prefix } simple ${ i }`,
			sku: `${ prefix }-S${ i }`,
			regular_price: `${ 10 + i }`,
			...( i % 4 === 1 ? { sale_price: `${ 5 + i }` } : {} ),
			manage_stock: true,
			stock_quantity: 20 + i,
			...category( i ),
		} );
	}
	for ( let p = 0; p < v; p++ ) {
		const sizes = [ 'XS', 'S', 'M', 'L', 'XL' ];
		const parent = await rest< WcProduct >( 'POST', 'wc/v3/products', {
			name: `${ prefix } shirt ${ p }`,
			type: 'variable',
			sku: p < skuless ? '' : `${ prefix }-P${ p }`,
			...category( p ),
			attributes: [
				{
					name: 'Size',
					options: sizes,
					variation: true,
					visible: true,
				},
			],
		} );
		await rest( 'POST', `wc/v3/products/${ parent.id }/variations/batch`, {
			create: sizes.map( ( s, i ) => ( {
				sku: `${ prefix }-P${ p }-${ s }`,
				regular_price: '30',
				manage_stock: true,
				stock_quantity: 5 + i,
				attributes: [ { name: 'Size', option: s } ],
			} ) ),
		} );
	}
}

maybe( 'worker end to end on a real WooCommerce', () => {
	let worker: ChildProcess | null = null;

	beforeAll( async () => {
		const env = shop.start( {
			siteDir: SITE_DIR,
			port: SHOP_PORT,
			plugins: [ join( ROOT, 'plugin' ) ],
			// Only the sender under test sends: the runner inside WordPress stays off.
			mu: [ join( __dirname, '../helpers/mu-node-sender-only.php' ) ],
		} );
		site = env.SITE_URL ?? '';
		auth = `Basic ${ Buffer.from( `${ env.ADMIN_USER }:${ env.APP_PASS }` ).toString( 'base64' ) }`;
		emu = await startEmulatorServer( { port: EMU_PORT, apiKeys: [ KEY ] } );
		await rest( 'PUT', 'keycrm-sync/v1/settings', {
			api_key: KEY,
			warehouse_id: 1,
			rate_per_minute: 60,
		} );
		process.env.E2E_USER = env.ADMIN_USER;
		process.env.E2E_PASS = env.APP_PASS;
	}, 300_000 );

	afterAll( async () => {
		worker?.kill( 'SIGKILL' );
		await emu?.close();
		shop.stop( SITE_DIR );
	}, 120_000 );

	it( 'syncs a catalogue made by WooCommerce’s CSV importer and REST (SKU-less family, sale prices, barcodes, categories; no draft, no external product), then a storefront checkout of a variation within 15 s', async () => {
		const category = async ( name: string, parent = 0 ) =>
			(
				await rest< { id: number } >(
					'POST',
					'wc/v3/products/categories',
					{ name, parent }
				)
			).id;
		const clothes = await category( 'E Одяг' );
		const shirts = await category( 'E Футболки', clothes );
		await createProducts( 'E', 20, 3, 1, [ shirts, clothes ] );
		// What the default settings keep out of keyCRM: a draft and an external product.
		await rest( 'POST', 'wc/v3/products', {
			name: 'E draft',
			sku: 'E-DRAFT',
			status: 'draft',
			regular_price: '5',
			manage_stock: true,
			stock_quantity: 3,
		} );
		await rest( 'POST', 'wc/v3/products', {
			name: 'E affiliate',
			sku: 'E-EXT',
			type: 'external',
			external_url: 'https://example.com/e',
			regular_price: '5',
		} );
		// The rest through WooCommerce's CSV product importer (its categories created by it).
		const imported = shop.eval( SITE_DIR, [
			join( __dirname, 'wc-csv-import.php' ),
			join( ROOT, 'test/fixtures/wc-products-import.csv' ),
		] );
		const report = JSON.parse( imported.stdout.trim() ) as {
			imported: number;
			failed: string[];
			mapping: Record< string, string >;
		};
		expect( report.failed ).toEqual( [] );
		expect( report.imported ).toBe( 7 );
		expect( report.mapping[ 'GTIN, UPC, EAN, or ISBN' ] ).toBe(
			'global_unique_id'
		);

		worker = startWorker(
			process.env.E2E_USER ?? '',
			process.env.E2E_PASS ?? ''
		);
		const want = await shopCatalogue();
		expect( want.size ).toBe( 20 + 3 * 5 + 3 + 2 );
		// The catalogue reaches the shapes this test is about.
		expect( want.get( 'C-S1' ) ).toMatchObject( {
			price: 80,
			barcode: '4820000000011',
			category: 'C Одяг/C Футболки',
		} );
		expect( want.get( 'C-S2' )?.price ).toBe( 50 ); // A sale that has not started.
		expect( want.get( 'C-V-S' ) ).toMatchObject( {
			price: 55,
			barcode: '4820000000035',
			category: 'C Одяг/C Сорочки',
		} );
		expect( want.get( 'E-P0-S' )?.category ).toBe( 'E Одяг/E Футболки' );
		await until( () => catalogueDifferences( want ).length === 0, 120_000 );
		expect( catalogueDifferences( want ) ).toEqual( [] );
		for ( const sku of [ 'E-DRAFT', 'E-EXT', 'C-DRAFT' ] ) {
			expect( emu.emulator.store.findBySku( sku ) ).toHaveLength( 0 );
		}
		// The variations of one parent share one keyCRM product (a parent without a SKU too), one per parent.
		const families = new Map< number, Set< number | undefined > >();
		for ( const [ sku, w ] of want ) {
			if ( w.parent !== null ) {
				const ids = families.get( w.parent ) ?? new Set();
				ids.add( emu.emulator.store.findBySku( sku )[ 0 ]?.product_id );
				families.set( w.parent, ids );
			}
		}
		expect( families.size ).toBe( 4 );
		const productIds = [ ...families.values() ].map( ( ids ) => [
			...ids,
		] );
		productIds.forEach( ( ids ) => expect( ids ).toHaveLength( 1 ) );
		expect( new Set( productIds.flat() ).size ).toBe( 4 );

		// A storefront checkout of a variation (Store API cart + checkout).
		const variation = (
			await rest< WcProduct[] >( 'GET', 'wc/v3/products?sku=E-P0-M' )
		)[ 0 ];
		const offer = emu.emulator.store.findBySku( 'E-P0-M' )[ 0 ];
		expect( variation && offer ).toBeTruthy();
		const before = variation?.stock_quantity ?? 0;
		const orderedAt = emu.emulator.clock.now();
		const order = await storefrontOrder( [
			{ id: variation?.id ?? 0, quantity: 2 },
		] );
		expect( order.order_id ).toBeGreaterThan( 0 );
		await until(
			() =>
				emu.emulator.store.cell( offer?.id ?? 0, 1 ).quantity ===
				before - 2,
			30_000
		);
		expect( emu.emulator.store.cell( offer?.id ?? 0, 1 ).quantity ).toBe(
			before - 2
		);
		const seconds =
			( ( emu.emulator.store.stockChangedAt.get( offer?.id ?? 0 ) ??
				Infinity ) -
				orderedAt ) /
			1000;
		process.stdout.write(
			`storefront checkout of a variation reached keyCRM ${ seconds.toFixed( 1 ) } s after the order (emulator clock)\n`
		);
		expect( seconds ).toBeLessThanOrEqual( 15 );
	}, 300_000 );

	it( 'a worker killed with SIGKILL mid-batch and restarted converges with no duplicates', async () => {
		worker?.kill( 'SIGTERM' );
		await new Promise( ( r ) => worker?.on( 'exit', r ) );
		await createProducts( 'K', 8, 2 );
		const all = await rest< WcProduct[] >(
			'GET',
			'wc/v3/products?per_page=100'
		);
		for ( const p of all.filter( ( x ) => x.type === 'simple' ) ) {
			await rest( 'PUT', `wc/v3/products/${ p.id }`, {
				stock_quantity: ( p.stock_quantity ?? 0 ) + 3,
			} );
		}
		const requests = emu.emulator.stats().total;
		worker = startWorker(
			process.env.E2E_USER ?? '',
			process.env.E2E_PASS ?? ''
		);
		// Kill as soon as the worker has sent its first request of the batch.
		await until( () => emu.emulator.stats().total > requests, 60_000 );
		const killed = worker;
		const exited = new Promise( ( r ) => killed.once( 'exit', r ) );
		killed.kill( 'SIGKILL' );
		await exited;
		worker = startWorker(
			process.env.E2E_USER ?? '',
			process.env.E2E_PASS ?? ''
		);
		const want = await shopStock();
		// Leases of the killed worker end after 30 s; then everything must converge.
		expect(
			await until( () => differences( want ).length === 0, 150_000 )
		).toBe( true );
		expect( emu.emulator.stats().counters.duplicateSkusCreated ).toBe( 0 );
		worker.kill( 'SIGTERM' );
		const code = await new Promise( ( r ) => worker?.on( 'exit', r ) );
		expect( code ).toBe( 0 );
		worker = null;
	}, 300_000 );
} );
