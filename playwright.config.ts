/**
 * End-to-end tests of the wp-admin page against a real WordPress + WooCommerce shop on loopback,
 * driven by Debian's Chromium (no browser download). The shop, the keyCRM emulator and the
 * sender are started by test/e2e/global-setup.ts (the shop with test/shop). Without WordPress or
 * WooCommerce (scripts/wp-env.sh) the run fails under CI=true, and the tests skip with the reason
 * elsewhere. Screenshots land in artifacts/e2e/ (git-ignored).
 */
import { defineConfig } from '@playwright/test';

export default defineConfig( {
	testDir: './test/e2e',
	testMatch: /.*\.spec\.ts$/,
	outputDir: './artifacts/e2e/results',
	globalSetup: './test/e2e/global-setup.ts',
	globalTeardown: './test/e2e/global-teardown.ts',
	fullyParallel: false,
	workers: 1,
	retries: 0,
	timeout: 180_000,
	expect: { timeout: 15_000 },
	reporter: [ [ 'list' ] ],
	use: {
		browserName: 'chromium',
		headless: true,
		viewport: { width: 1400, height: 1000 },
		screenshot: 'only-on-failure',
		trace: 'off',
		launchOptions: {
			executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
			args: [
				'--no-sandbox',
				'--disable-gpu',
				'--disable-background-networking',
				'--disable-component-update',
				'--disable-sync',
				'--no-first-run',
			],
		},
	},
} );
