/** @jest-environment node */
/*
 * Smoke test of `npm start` (scripts/demo/run.sh): the demo comes up (Playground shop, keyCRM
 * emulator, sender), the seeded products reach the emulator, a product edit in the shop reaches
 * the emulator, and Ctrl-C stops everything.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';

import { describeOrSkip } from '../helpers/skip';
import { portOpen, ROOT, wordpressMissing } from './env';

const SHOP_PORT = 8182;
const EMULATOR_PORT = 9482;

const DemoInfo = z.object( {
	site_url: z.string(),
	emulator_url: z.string(),
	api_key: z.string(),
	admin_user: z.string(),
	app_password: z.string(),
	products: z.array(
		z.object( {
			id: z.number(),
			sku: z.string(),
			type: z.string(),
			stock: z.number().nullable(),
		} )
	),
} );

const EmulatorState = z.object( {
	stock: z.array(
		z.object( { sku: z.string().nullable(), quantity: z.number() } )
	),
	duplicates: z.number(),
} );

function missing(): string | null {
	if (
		! existsSync( join( ROOT, 'node_modules', '@wp-playground', 'cli' ) )
	) {
		return 'node_modules/@wp-playground/cli is not installed';
	}
	return wordpressMissing();
}

/**
 * keyCRM stock by SKU, read from the emulator's control API (no rate limit).
 * @param emulatorUrl
 */
async function emulatorStock(
	emulatorUrl: string
): Promise< Map< string, number > > {
	const response = await fetch( `${ emulatorUrl }/__emulator/state` );
	const state = EmulatorState.parse( await response.json() );
	expect( state.duplicates ).toBe( 0 );
	return new Map(
		state.stock.flatMap( ( s ) =>
			s.sku === null ? [] : [ [ s.sku, s.quantity ] ]
		)
	);
}

async function eventually(
	what: string,
	check: () => Promise< boolean >,
	timeoutMs: number
): Promise< number > {
	const start = Date.now();
	while ( Date.now() - start < timeoutMs ) {
		if ( await check() ) {
			return Date.now() - start;
		}
		await sleep( 1000 );
	}
	throw new Error( `${ what }: not within ${ timeoutMs / 1000 } s` );
}

const skip = missing();
const describeDemo = describeOrSkip( 'npm start demo', skip );

describeDemo(
	skip ? `npm start demo — skipped: ${ skip }` : 'npm start demo',
	() => {
		let demo: ChildProcess;
		let output = '';
		let exitCode: number | null | undefined;
		let siteDir: string;
		let info: z.infer< typeof DemoInfo >;

		beforeAll( async () => {
			siteDir = mkdtempSync( join( tmpdir(), 'keycrm-demo-test-' ) );
			demo = spawn(
				'bash',
				[
					'scripts/demo/run.sh',
					'--port',
					String( SHOP_PORT ),
					'--emulator-port',
					String( EMULATOR_PORT ),
					'--site-dir',
					siteDir,
				],
				{
					cwd: ROOT,
					detached: true,
					stdio: [ 'ignore', 'pipe', 'pipe' ],
				}
			);
			demo.stdout?.on(
				'data',
				( d: Buffer ) => ( output += d.toString() )
			);
			demo.stderr?.on(
				'data',
				( d: Buffer ) => ( output += d.toString() )
			);
			demo.on( 'exit', ( code ) => ( exitCode = code ) );
			await eventually(
				'demo ready',
				async () => {
					if ( exitCode !== undefined ) {
						throw new Error(
							`the demo exited (${ String( exitCode ) }):\n${ output }`
						);
					}
					return output.includes( '[demo] ready' );
				},
				540_000
			);
			info = DemoInfo.parse(
				JSON.parse(
					readFileSync( join( siteDir, 'demo.json' ), 'utf8' )
				)
			);
		}, 600_000 );

		afterAll( async () => {
			if ( demo?.pid && exitCode === undefined ) {
				process.kill( -demo.pid, 'SIGKILL' );
			}
			rmSync( siteDir, { recursive: true, force: true } );
		} );

		test( 'prints the wp-admin URL and login and the emulator page URL', () => {
			expect( output ).toContain(
				`http://127.0.0.1:${ SHOP_PORT }/wp-admin/  (login admin / password)`
			);
			expect( output ).toContain(
				`http://127.0.0.1:${ EMULATOR_PORT }/  (emulator`
			);
			expect(
				info.products.filter( ( p ) => p.type === 'variation' ).length
			).toBeGreaterThan( 0 );
		} );

		test( 'the seeded products reach the emulator with their stock', async () => {
			const seeded = info.products.filter(
				( p ) => p.sku !== '' && p.stock !== null
			);
			const ms = await eventually(
				'seeded stock in the emulator',
				async () => {
					const stock = await emulatorStock( info.emulator_url );
					return seeded.every(
						( p ) => stock.get( p.sku ) === p.stock
					);
				},
				120_000
			);
			expect( ms ).toBeLessThan( 120_000 );
		}, 130_000 );

		test( 'a product edit in the shop reaches the emulator', async () => {
			const mug = info.products.find( ( p ) => p.sku === 'DEMO-MUG' );
			expect( mug ).toBeDefined();
			const auth = Buffer.from(
				`${ info.admin_user }:${ info.app_password }`
			).toString( 'base64' );
			const edit = await fetch(
				`${ info.site_url }/?rest_route=/wc/v3/products/${ mug?.id }`,
				{
					method: 'PUT',
					headers: {
						Authorization: `Basic ${ auth }`,
						'Content-Type': 'application/json',
					},
					body: JSON.stringify( { stock_quantity: 17 } ),
				}
			);
			expect( edit.status ).toBe( 200 );
			const ms = await eventually(
				'edited stock in the emulator',
				async () =>
					( await emulatorStock( info.emulator_url ) ).get(
						'DEMO-MUG'
					) === 17,
				60_000
			);
			expect( ms ).toBeLessThan( 60_000 );
		}, 90_000 );

		test( 'Ctrl-C stops the shop, the emulator and the sender', async () => {
			process.kill( -( demo.pid ?? 0 ), 'SIGINT' );
			await eventually(
				'demo exit',
				async () => exitCode !== undefined,
				60_000
			);
			expect( exitCode ).toBe( 0 );
			expect( await portOpen( SHOP_PORT ) ).toBe( false );
			expect( await portOpen( EMULATOR_PORT ) ).toBe( false );
		}, 70_000 );
	}
);
