/**
 * Logs in to wp-admin in the browser.
 */
import { expect, type Page } from '@playwright/test';

/**
 * Logs in on wp-login.php and waits for wp-admin.
 *
 * @param page    The page.
 * @param siteUrl The site's URL (no trailing slash).
 * @param user    User name.
 * @param pass    Password.
 */
export async function logIn(
	page: Page,
	siteUrl: string,
	user: string,
	pass: string
): Promise< void > {
	await page.goto( `${ siteUrl }/wp-login.php` );
	// wp-login.php focuses and selects the login field 200 ms after loading; typing that lands
	// after that moves into it. Fill until both fields hold what was typed.
	await expect( async () => {
		await page.locator( '#user_login' ).fill( user );
		await page.locator( '#user_pass' ).fill( pass );
		await expect( page.locator( '#user_login' ) ).toHaveValue( user, {
			timeout: 500,
		} );
		await expect( page.locator( '#user_pass' ) ).toHaveValue( pass, {
			timeout: 500,
		} );
	} ).toPass( { timeout: 15_000 } );
	await Promise.all( [
		page.waitForURL( /wp-admin/ ),
		page.locator( '#wp-submit' ).click(),
	] );
}
