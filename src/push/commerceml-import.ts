/**
 * CommerceML's `import.xml` (the catalogue): Товар with Ид, Артикул,
 * Наименование, Штрихкод, БазоваяЕдиница and Группы, and the group tree of
 * Классификатор. The products are kept by Ид to join them with the offers.
 */
import { basename } from 'node:path';

import type { SaxesTagPlain } from 'saxes';

import { parentIs, walk, xmlEncoding, type Walker } from './commerceml-xml.js';
import type { RowCollector } from './erp-row.js';
import type { Encoding } from './text-encoding.js';

/** A product of import.xml. */
export interface CatalogProduct {
	sku: string | null;
	name: string | null;
	barcode: string | null;
	unit: string | null;
	groupId: string | null;
	line: number;
	/** Whether an offer referred to it. */
	offered: boolean;
}

/** Named things of the exchange (price types, warehouses, groups). */
export interface Named {
	id: string;
	name: string;
	parentId?: string | null;
}

/** import.xml's products and groups, each by Ид. */
export interface Catalog {
	products: Map< string, CatalogProduct >;
	groups: Map< string, Named >;
}

/** The catalogue of an exchange without import.xml. */
export const emptyCatalog = (): Catalog => ( {
	products: new Map(),
	groups: new Map(),
} );

/** What the walk over import.xml holds between tags. */
interface ImportWalk {
	file: string;
	out: RowCollector;
	catalog: Catalog;
	/** Open <Группа> elements, outermost first. */
	groupStack: Named[];
	/** The open <Товар>. */
	product: ( CatalogProduct & { id: string | null } ) | null;
}

/**
 * Reads import.xml: the products by Ид and the group tree.
 *
 * @param path File path.
 * @param enc  Encoding override.
 * @param out  Collector (XML errors).
 */
export async function readImport(
	path: string,
	enc: Encoding | undefined,
	out: RowCollector
): Promise< Catalog > {
	const s: ImportWalk = {
		file: basename( path ),
		out,
		catalog: emptyCatalog(),
		groupStack: [],
		product: null,
	};
	const error = await walk(
		path,
		enc ?? ( await xmlEncoding( path ) ),
		( w, tag ) => openTag( s, w, tag ),
		( w, name ) => closeTag( s, w, name )
	);
	if ( error ) {
		out.fail( { ...error, file: s.file } );
	}
	return s.catalog;
}

/**
 * An open tag of import.xml: a group, a product or a product's unit.
 *
 * @param s   Walk state.
 * @param w   Walker.
 * @param tag The tag.
 */
function openTag( s: ImportWalk, w: Walker, tag: SaxesTagPlain ): void {
	if ( tag.name === 'Группа' && w.path.includes( 'Классификатор' ) ) {
		s.groupStack.push( {
			id: '',
			name: '',
			parentId: s.groupStack.at( -1 )?.id ?? null,
		} );
	} else if ( tag.name === 'Товар' && parentIs( w, 'Товары' ) ) {
		s.product = {
			id: null,
			sku: null,
			name: null,
			barcode: null,
			unit: null,
			groupId: null,
			line: w.line,
			offered: false,
		};
	} else if ( s.product && tag.name === 'БазоваяЕдиница' ) {
		const full = tag.attributes.НаименованиеПолное;
		s.product.unit = typeof full === 'string' ? full : null;
	}
}

/**
 * A close tag of import.xml: a field of the open group or product, or its end.
 *
 * @param s    Walk state.
 * @param w    Walker.
 * @param name Tag name.
 */
function closeTag( s: ImportWalk, w: Walker, name: string ): void {
	const text = w.text.trim();
	const p = s.product;
	if ( ! p ) {
		const group = s.groupStack.at( -1 );
		if ( group ) {
			closeGroupTag( s, group, w, name, text );
		}
		return;
	}
	if ( parentIs( w, 'Товар' ) ) {
		if ( name === 'Ид' ) {
			p.id = text;
		} else if ( name === 'Артикул' ) {
			p.sku = text || null;
		} else if ( name === 'Наименование' ) {
			p.name = text || null;
		} else if ( name === 'Штрихкод' ) {
			p.barcode = text || null;
		} else if ( name === 'БазоваяЕдиница' ) {
			p.unit = text || p.unit;
		}
	} else if ( name === 'Ид' && parentIs( w, 'Группы' ) ) {
		p.groupId ??= text;
	} else if ( name === 'Товар' ) {
		if ( ! p.id ) {
			s.out.fail( {
				line: p.line,
				file: s.file,
				message: '<Товар> without <Ид>',
			} );
		} else {
			const { id, ...rest } = p;
			s.catalog.products.set( id, rest );
		}
		s.product = null;
	}
}

/**
 * A close tag inside a <Группа> of Классификатор.
 *
 * @param s     Walk state.
 * @param group The innermost open group.
 * @param w     Walker.
 * @param name  Tag name.
 * @param text  Trimmed text of the element.
 */
function closeGroupTag(
	s: ImportWalk,
	group: Named,
	w: Walker,
	name: string,
	text: string
): void {
	if ( parentIs( w, 'Группа' ) ) {
		if ( name === 'Ид' ) {
			group.id = text;
		} else if ( name === 'Наименование' ) {
			group.name = text;
		}
	}
	if ( name === 'Группа' ) {
		s.catalog.groups.set( group.id, s.groupStack.pop() as Named );
	}
}

/**
 * The category path of a group: its names from the root, joined by "/".
 *
 * @param groups  Groups by Ид.
 * @param groupId Group Ид.
 */
export function groupPath(
	groups: Map< string, Named >,
	groupId: string | null
): string | null {
	const names: string[] = [];
	let id = groupId;
	while ( id && names.length < 20 ) {
		const g = groups.get( id );
		if ( ! g ) {
			break;
		}
		names.unshift( g.name.replace( /\//g, '-' ) );
		id = g.parentId ?? null;
	}
	return names.length ? names.join( '/' ) : null;
}
