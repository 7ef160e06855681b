/**
 * `@woocommerce/components` is not installed: webpack maps it to WooCommerce's `wc-components`
 * script (global `wc.components`). Only index.tsx imports it, as an opaque namespace that
 * admin-ui/src/wc/wc-components.tsx checks at runtime.
 */
declare module '@woocommerce/components' {
	const components: Record< string, unknown >;
	export = components;
}

/** Stylesheets imported for webpack (extracted into plugin/build/admin.css). */
declare module '*.css';
