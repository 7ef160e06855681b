/**
 * A small typed facade over WooCommerce's `wc-components` script (global `wc.components`).
 *
 * The npm package is not installed: webpack externalizes `@woocommerce/components` to the
 * `wc-components` handle and index.tsx hands the external to `provideWcComponents()`. Where
 * WooCommerce's components are absent (tests, a shop without them) plain equivalents render.
 */
import type { ComponentType, ReactNode } from 'react';

interface SummaryNumberProps {
	label: string;
	value: string;
	href?: string;
}
interface SummaryListProps {
	label?: string;
	children: () => ReactNode[];
}

export interface WcComponents {
	SummaryList: ComponentType< SummaryListProps >;
	SummaryNumber: ComponentType< SummaryNumberProps >;
}

let provided: Partial< WcComponents > = {};

/**
 * Registers the components WooCommerce ships (called once at start-up).
 *
 * @param external The `wc.components` object (or undefined).
 */
export function provideWcComponents( external: unknown ): void {
	if ( typeof external !== 'object' || external === null ) {
		provided = {};
		return;
	}
	const source = external as Record< string, unknown >;
	const pick = ( name: keyof WcComponents ) =>
		typeof source[ name ] === 'function' ||
		typeof source[ name ] === 'object'
			? source[ name ]
			: undefined;
	provided = {
		SummaryList: pick( 'SummaryList' ) as
			WcComponents[ 'SummaryList' ] | undefined,
		SummaryNumber: pick( 'SummaryNumber' ) as
			WcComponents[ 'SummaryNumber' ] | undefined,
	};
}

/** Whether WooCommerce's own components are in use. */
export function hasWcComponents(): boolean {
	return Boolean( provided.SummaryList && provided.SummaryNumber );
}

function PlainSummaryList( { label, children }: SummaryListProps ) {
	return (
		<ul className="keycrm-sync-summary" aria-label={ label }>
			{ children() }
		</ul>
	);
}

function PlainSummaryNumber( { label, value, href }: SummaryNumberProps ) {
	const body = (
		<>
			<span className="keycrm-sync-summary__label">{ label }</span>
			<span className="keycrm-sync-summary__value">{ value }</span>
		</>
	);
	return (
		<li className="keycrm-sync-summary__item">
			{ href ? <a href={ href }>{ body }</a> : body }
		</li>
	);
}

/**
 * The summary list: WooCommerce's SummaryList when present, else a plain list.
 *
 * @param props Label and a function returning the numbers.
 */
export function SummaryList( props: SummaryListProps ) {
	const Impl =
		provided.SummaryList && provided.SummaryNumber
			? provided.SummaryList
			: PlainSummaryList;
	return <Impl { ...props } />;
}

/**
 * One number of a SummaryList.
 *
 * @param props Label, value and optional link.
 */
export function SummaryNumber( props: SummaryNumberProps ) {
	const Impl =
		provided.SummaryList && provided.SummaryNumber
			? provided.SummaryNumber
			: PlainSummaryNumber;
	return <Impl { ...props } />;
}
