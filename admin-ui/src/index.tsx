/**
 * Entry point (api-fetch's root URL and nonce come from WordPress core): hands over WooCommerce's components and mounts
 * the app into the page AdminPage.php prints.
 */
import * as wcComponents from '@woocommerce/components';
import { createRoot } from '@wordpress/element';

import { readPageData } from './api/page-data';
import { App } from './app';
import { provideWcComponents } from './wc/wc-components';
import './style.css';

const page = readPageData( window );
provideWcComponents( wcComponents );

const root = document.getElementById( 'keycrm-sync-root' );
if ( root ) {
	createRoot( root ).render( <App page={ page } /> );
}
