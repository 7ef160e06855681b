/**
 * The keyCRM Sync page on a real WooCommerce 10 shop in Chromium: WooCommerce header and
 * components, settings, application password + sender command, "Resync all" with the sender
 * running against the emulator up to 100 %, a SKU keyCRM rejects, its retry, the products column.
 * Every test fails on a console error or an uncaught page error.
 */
import { spawn } from 'node:child_process';
import { openSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { expect, test, type Page } from '@playwright/test';

import { ShopHarness } from '../shop/shop';
import { E2E, readState } from './e2e-state';

const state = readState();
const PAGE = '/wp-admin/admin.php?page=keycrm-sync';
/**
 * The app's own root (wp.a11y live regions repeat notices elsewhere on the page).
 * @param page
 */
const ui = ( page: Page ) => page.locator( '#keycrm-sync-root' );
const shot = ( page: Page, name: string ) =>
	page.screenshot( {
		path: path.join( E2E.artifacts, `${ name }.png` ),
		fullPage: true,
	} );

test.describe.configure( { mode: 'serial' } );

let problems: string[] = [];
const offline: string[] = [];
let appPassword = '';

test.beforeEach( async ( { page } ) => {
	test.skip( state.skip !== null, state.skip ?? '' );
	problems = [];
	page.on( 'console', ( msg ) => {
		if ( msg.type() !== 'error' ) {
			return;
		}
		const url = msg.location().url;
		// This machine has no internet: resources WordPress/WooCommerce load from other hosts
		// (e.g. gravatar.com) fail to resolve. Every other console error fails the test.
		if (
			/ERR_NAME_NOT_RESOLVED|ERR_INTERNET_DISCONNECTED/.test(
				msg.text()
			) &&
			url &&
			! url.startsWith( state.siteUrl )
		) {
			offline.push( url );
			return;
		}
		problems.push( `console: ${ msg.text() } (${ url })` );
	} );
	page.on( 'pageerror', ( error ) =>
		problems.push( `pageerror: ${ error.message }` )
	);
	await page.goto( `${ state.siteUrl }/wp-login.php` );
	// wp-login.php focuses and selects the login field 200 ms after loading; typing that lands
	// after that moves into it. Fill until both fields hold what was typed.
	await expect( async () => {
		await page.locator( '#user_login' ).fill( state.adminUser );
		await page.locator( '#user_pass' ).fill( state.adminPass );
		await expect( page.locator( '#user_login' ) ).toHaveValue(
			state.adminUser,
			{ timeout: 500 }
		);
		await expect( page.locator( '#user_pass' ) ).toHaveValue(
			state.adminPass,
			{ timeout: 500 }
		);
	} ).toPass( { timeout: 15_000 } );
	await Promise.all( [
		page.waitForURL( /wp-admin/ ),
		page.locator( '#wp-submit' ).click(),
	] );
} );

test.afterEach( () => {
	expect( problems ).toEqual( [] );
} );

test.afterAll( () => {
	writeFileSync(
		path.join( E2E.artifacts, 'offline-resources.txt' ),
		[ ...new Set( offline ) ].join( '\n' )
	);
} );

/**
 * Sets the admin's locale in the shop (PHP in WordPress).
 *
 * @param siteDir The shop's folder.
 * @param locale  Locale, e.g. uk.
 */
function setAdminLocale( siteDir: string, locale: string ): void {
	const done = new ShopHarness( E2E.root ).eval( siteDir, [
		'-r',
		`update_user_meta( 1, 'locale', '${ locale }' );`,
	] );
	if ( done.status !== 0 ) {
		throw new Error( `setting the locale failed: ${ done.stderr }` );
	}
}

test( 'opens under WooCommerce with the WooCommerce header and wc-components', async ( {
	page,
} ) => {
	await page.goto( state.siteUrl + PAGE );
	await expect( page.locator( '.woocommerce-layout__header' ) ).toBeVisible();
	await expect(
		page.getByRole( 'heading', { name: 'keyCRM Sync', level: 1 } )
	).toHaveCount( 1 );
	expect(
		await page.evaluate(
			() =>
				typeof (
					window as unknown as {
						wc?: { components?: { SummaryList?: unknown } };
					}
				 ).wc?.components?.SummaryList
		)
	).toBe( 'function' );
	await expect( ui( page ).getByText( 'Sender: offline' ) ).toBeVisible();
	await expect(
		ui( page ).getByText( /Setup is not finished/ )
	).toBeVisible();
	await expect(
		page
			.locator( 'pre' )
			.filter( { hasText: 'node keycrm-sync.mjs worker --site' } )
			.first()
	).toContainText(
		"read -rsp 'Application password: ' KEYCRM_SYNC_APP_PASSWORD && export KEYCRM_SYNC_APP_PASSWORD && node keycrm-sync.mjs worker"
	);
	await shot( page, '01-overview-first-visit' );
	// The tab's code is a chunk of its own, fetched from the plugin's build folder on first use.
	const chunk = page.waitForResponse( ( response ) =>
		/\/build\/admin-problems\.js\?ver=/.test( response.url() )
	);
	await page.getByRole( 'tab', { name: /SKU problems/ } ).click();
	expect( ( await chunk ).status() ).toBe( 200 );
	await expect(
		ui( page ).getByRole( 'link', { name: 'E2E no SKU' } )
	).toBeVisible();
	await expect( ui( page ).getByText( 'E2E,COMMA' ) ).toBeVisible();
	await shot( page, '02-problems' );
} );

test( 'saves settings; the API key never comes back to the browser', async ( {
	page,
} ) => {
	await page.goto( `${ state.siteUrl }${ PAGE }#settings` );
	await ui( page ).getByLabel( 'keyCRM API key' ).fill( E2E.apiKey );
	await ui( page ).getByLabel( 'Warehouse ID' ).fill( '1' );
	await ui( page )
		.getByLabel( 'Rate budget (keyCRM requests per minute, at most 60)' )
		.fill( '60' );
	await ui( page )
		.getByLabel( 'Attempts before giving up on a SKU' )
		.fill( '1' );
	await ui( page ).getByRole( 'button', { name: 'Save settings' } ).click();
	await expect( ui( page ).getByText( 'Settings saved.' ) ).toBeVisible();
	await page.reload();
	await expect( ui( page ).getByLabel( 'keyCRM API key' ) ).toHaveValue( '' );
	await expect(
		ui( page ).getByText( /A key is stored \(hidden\)/ )
	).toBeVisible();
	await expect( ui( page ).getByLabel( 'Warehouse ID' ) ).toHaveValue( '1' );
	expect( await page.content() ).not.toContain( E2E.apiKey );
	await shot( page, '03-settings-saved' );
} );

test( 'creates the sender user and shows its application password once, never in the command', async ( {
	page,
} ) => {
	await page.goto( `${ state.siteUrl }${ PAGE }#settings` );
	await ui( page )
		.getByRole( 'button', {
			name: 'Create sender user and application password',
		} )
		.click();
	const password = page.getByTestId( 'sender-app-password' );
	await expect( password ).toHaveText( /^[A-Za-z0-9 ]{24,}$/ );
	appPassword = ( await password.textContent() ) ?? '';
	const text =
		( await page.locator( '.keycrm-sync-command pre' ).textContent() ) ??
		'';
	expect( text ).toContain(
		`--site ${ state.siteUrl }/ --user keycrm-sync-sender`
	);
	expect( text ).not.toContain( appPassword );
	await expect( ui( page ).getByText( /shown only once/ ) ).toBeVisible();
	await shot( page, '04-sender-command' );
	await page.reload();
	await expect( page.getByTestId( 'sender-app-password' ) ).toHaveCount( 0 );
} );

/**
 * The keyCRM cell of a product row in Products → All Products.
 *
 * @param page Page on the products list.
 * @param name Product name.
 */
const productState = ( page: Page, name: string ) =>
	page
		.locator( '#the-list tr' )
		.filter( { has: page.getByRole( 'link', { name, exact: true } ) } )
		.locator( 'td.column-keycrm_sync' );

test( 'shows a keyCRM column in the products list', async ( { page } ) => {
	await page.goto( `${ state.siteUrl }/wp-admin/edit.php?post_type=product` );
	await expect(
		page.locator( 'thead' ).getByRole( 'columnheader', { name: 'keyCRM' } )
	).toBeVisible();
	await expect( productState( page, 'E2E mug' ) ).toContainText( 'Pending' );
	await expect( productState( page, 'E2E no SKU' ) ).toContainText(
		'Not tracked'
	);
	await shot( page, '05-products-column' );
} );

/**
 * Starts `node dist/cli.js worker` with the command the page showed (plus the emulator URL).
 *
 * @param password The application password created on the page.
 */
function startSender( password: string ): number {
	const urlFlag = /--(keycrm-url|keycrm-base-url|base-url|api-url)\b/.exec(
		state.senderHelp
	)?.[ 0 ];
	const args = [
		path.join( E2E.root, 'dist/cli.js' ),
		'worker',
		'--site',
		`${ state.siteUrl }/`,
		'--user',
		'keycrm-sync-sender',
	];
	if ( urlFlag ) {
		args.push( urlFlag, `${ state.emulatorUrl }/v1` );
	}
	const log = openSync( path.join( E2E.artifacts, 'sender.log' ), 'w' );
	const child = spawn( process.execPath, args, {
		detached: true,
		stdio: [ 'ignore', log, log ],
		// As the page says: the password goes in the environment, never on the command line.
		env: {
			...process.env,
			KEYCRM_BASE_URL: `${ state.emulatorUrl }/v1`,
			KEYCRM_SYNC_APP_PASSWORD: password,
		},
	} );
	child.unref();
	writeFileSync(
		E2E.stateFile,
		JSON.stringify( { ...state, workerPid: child.pid ?? 0 }, null, 2 )
	);
	return child.pid ?? 0;
}

test( 'resyncs everything with the sender running, shows the rejected SKU and retries it', async ( {
	page,
} ) => {
	test.skip( state.senderSkip !== null, state.senderSkip ?? '' );
	expect( appPassword ).not.toBe( '' );
	startSender( appPassword );
	await page.goto( state.siteUrl + PAGE );
	await expect( ui( page ).getByText( 'Sender: online' ) ).toBeVisible( {
		timeout: 60_000,
	} );
	await ui( page ).getByRole( 'button', { name: 'Resync all' } ).click();
	await expect(
		ui( page ).getByText( /Resync started: \d+ SKUs queued\./ )
	).toBeVisible();
	await shot( page, '06-resync-running' );
	await expect( ui( page ).getByTestId( 'resync-progress' ) ).toHaveText(
		/Resync finished: (\d+) of \1 SKUs \(100 %\)/,
		{ timeout: 120_000 }
	);
	await expect(
		ui( page ).getByRole( 'progressbar', { name: 'Resync progress' } )
	).toHaveAttribute( 'value', '100' );
	await shot( page, '07-resync-done' );

	await page.getByRole( 'tab', { name: /Items/ } ).click();
	await ui( page ).getByLabel( 'State' ).selectOption( 'dead' );
	const row = ui( page ).getByRole( 'row' ).filter( { hasText: 'E2E-BAD' } );
	// A failure of a version the resync has already replaced costs no attempt: E2E-BAD gives up
	// on the failure of its current version, which may land just after the resync finished.
	await expect( async () => {
		await ui( page ).getByRole( 'button', { name: 'Search' } ).click();
		await expect( row ).toContainText( 'Gave up', { timeout: 2000 } );
	} ).toPass( { timeout: 60_000 } );
	await expect( row ).toContainText( /rejected/ );
	await shot( page, '08-items-failed' );

	const cleared = await fetch( `${ state.emulatorUrl }/__emulator/faults`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
	} );
	expect( cleared.ok ).toBe( true );
	await row.getByRole( 'button', { name: 'Retry E2E-BAD' } ).click();
	await expect(
		ui( page ).getByText( 'E2E-BAD queued for retry.' )
	).toBeVisible();
	await ui( page ).getByLabel( 'State' ).selectOption( 'synced' );
	await expect( async () => {
		await ui( page ).getByRole( 'button', { name: 'Search' } ).click();
		await expect(
			ui( page ).getByRole( 'row' ).filter( { hasText: 'E2E-BAD' } )
		).toContainText( 'Synced', { timeout: 2_000 } );
	} ).toPass( { timeout: 90_000 } );
	await shot( page, '09-items-retried' );

	await page.goto( `${ state.siteUrl }/wp-admin/edit.php?post_type=product` );
	await expect( productState( page, 'E2E mug' ) ).toContainText( 'Synced' );
	await expect( productState( page, 'E2E rejected' ) ).toContainText(
		'Synced'
	);
	await shot( page, '10-products-column-synced' );
} );

test( 'speaks Ukrainian to a user whose locale is uk (JS and PHP strings)', async ( {
	page,
} ) => {
	const setLocale = ( locale: string ) =>
		setAdminLocale( state.siteDir, locale );
	setLocale( 'uk' );
	try {
		await page.goto( state.siteUrl + PAGE );
		await expect(
			ui( page ).getByRole( 'tab', { name: 'Огляд' } )
		).toBeVisible();
		await expect(
			ui( page ).getByRole( 'button', { name: 'Синхронізувати все' } )
		).toBeVisible();
		await expect(
			ui( page ).locator( '.keycrm-sync-counts' )
		).toContainText( 'Синхронізовано' );
		await shot( page, '11-overview-uk' );
		// A tab loaded as a chunk of its own speaks Ukrainian too.
		await ui( page ).getByRole( 'tab', { name: 'Налаштування' } ).click();
		await expect(
			ui( page ).getByRole( 'button', { name: 'Зберегти налаштування' } )
		).toBeVisible();
		await page.goto(
			`${ state.siteUrl }/wp-admin/edit.php?post_type=product`
		);
		await expect( productState( page, 'E2E no SKU' ) ).toContainText(
			'Не відстежується'
		);
	} finally {
		setLocale( '' );
	}
} );
