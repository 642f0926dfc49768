import { FeedError } from './feed-error.ts';
import {
  childElements,
  innerXml,
  textContent,
  type XmlDocument,
  type XmlElement,
} from './lenient-xml.ts';
import { cleanText, fieldToText, htmlToText } from './text-clean.ts';

/** One entry as read from the document, before normalization. Text fields are plain text. */
export interface ExtractedItem {
  title?: string;
  /** Absolute link (xml:base and the document URL applied), not yet canonical. */
  link?: string;
  guid?: string;
  summary?: string;
  content?: string;
  date?: string;
  author?: string;
  language?: string;
}

export interface ExtractedFeed {
  format: 'rss' | 'rdf' | 'atom' | 'json';
  title?: string;
  link?: string;
  language?: string;
  items: ExtractedItem[];
  /** Entries past the item cap, counted but never read (absent: none). */
  itemsLeftOut?: number;
}

const NS = {
  atom10: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  dc: 'http://purl.org/dc/elements/1.1/',
  dcterms: 'http://purl.org/dc/terms/',
  content: 'http://purl.org/rss/1.0/modules/content/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xml: 'http://www.w3.org/XML/1998/namespace',
  media: 'http://search.yahoo.com/mrss/',
};
const RSS_NAMESPACES = new Set([
  '',
  'http://purl.org/rss/1.0/',
  'http://my.netscape.com/rdf/simple/0.9/',
  'http://channel.netscape.com/rdf/simple/0.9/',
  'http://backend.userland.com/rss2',
  'http://backend.userland.com/rss',
  'http://purl.org/net/rss1.1#',
]);
const ATOM_NAMESPACES = new Set([NS.atom10, NS.atom03, '']);

/** Resolve a possibly relative reference against the xml:base chain of an element. */
function resolveLink(
  raw: string | undefined,
  element: XmlElement,
  documentBase: string,
): string | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  const bases: string[] = [];
  for (let node: XmlElement | undefined = element; node; node = node.parent) {
    const base = node.attrs['xml:base'];
    if (base) bases.push(base.trim());
  }
  let base = documentBase;
  for (const relative of bases.reverse()) {
    try {
      base = new URL(relative, base).href;
    } catch {
      // An unusable xml:base is ignored, as if absent.
    }
  }
  try {
    return new URL(value, base).href;
  } catch {
    return undefined;
  }
}

/** Text, or undefined when there is none. */
function nonEmpty(text: string): string | undefined {
  return text === '' ? undefined : text;
}

// Where an item's date may be, in order of preference ('core' is the format's own namespace).
const RSS_DATES: [string, string][] = [
  ['core', 'pubDate'],
  [NS.dc, 'date'],
  [NS.dcterms, 'modified'],
  [NS.atom10, 'published'],
  [NS.atom10, 'updated'],
  [NS.dcterms, 'issued'],
];
const ATOM_DATES: [string, string][] = [
  ['core', 'published'],
  ['core', 'issued'],
  ['core', 'updated'],
  ['core', 'modified'],
  ['core', 'created'],
  [NS.dc, 'date'],
];

class Reader {
  constructor(
    private readonly documentBase: string,
    private readonly coreNamespaces: Set<string>,
  ) {}

  core(parent: XmlElement, local: string): XmlElement | undefined {
    return childElements(parent).find(
      (child) => child.local === local && this.coreNamespaces.has(child.ns),
    );
  }

  coreAll(parent: XmlElement, local: string): XmlElement[] {
    return childElements(parent).filter(
      (child) => child.local === local && this.coreNamespaces.has(child.ns),
    );
  }

  inNs(parent: XmlElement, ns: string, local: string): XmlElement | undefined {
    return childElements(parent).find((child) => child.local === local && child.ns === ns);
  }

  /** Text of an element that may carry markup (child elements or escaped HTML). */
  richText(element: XmlElement | undefined): string | undefined {
    if (!element) return undefined;
    return nonEmpty(
      childElements(element).length > 0
        ? htmlToText(innerXml(element))
        : fieldToText(textContent(element)),
    );
  }

  /** Atom text construct: text, html or xhtml. */
  atomText(element: XmlElement | undefined): string | undefined {
    if (!element) return undefined;
    const type = (element.attrs.type ?? 'text').toLowerCase();
    if (type === 'xhtml' || type === 'application/xhtml+xml') return this.plain(element);
    if (type === 'html' || type === 'text/html') return nonEmpty(htmlToText(textContent(element)));
    return this.richText(element);
  }

  /** Media RSS description, directly or inside media:group (video feeds carry text only there). */
  mediaDescription(parent: XmlElement): string | undefined {
    const group = this.inNs(parent, NS.media, 'group');
    return this.richText(
      this.inNs(parent, NS.media, 'description') ??
        (group ? this.inNs(group, NS.media, 'description') : undefined),
    );
  }

  plain(element: XmlElement | undefined): string | undefined {
    return element ? nonEmpty(cleanText(textContent(element))) : undefined;
  }

  link(raw: string | undefined, element: XmlElement): string | undefined {
    return resolveLink(raw, element, this.documentBase);
  }

  language(element: XmlElement): string | undefined {
    for (let node: XmlElement | undefined = element; node; node = node.parent) {
      const lang = node.attrs['xml:lang'];
      if (lang) return lang.trim() || undefined;
    }
    return undefined;
  }

  date(element: XmlElement, candidates: [string, string][]): string | undefined {
    for (const [ns, local] of candidates) {
      const found = ns === 'core' ? this.core(element, local) : this.inNs(element, ns, local);
      const text = this.plain(found);
      if (text) return text;
    }
    return undefined;
  }
}

function readRss(root: XmlElement, documentBase: string, isRdf: boolean): ExtractedFeed {
  const core = new Set(RSS_NAMESPACES);
  core.add(root.ns);
  if (root.ns === NS.rdf) core.delete(NS.rdf);
  const reader = new Reader(documentBase, core);
  const channel = root.local === 'channel' ? root : reader.core(root, 'channel');
  const itemElements = [
    ...(channel && channel !== root ? reader.coreAll(channel, 'item') : []),
    ...reader.coreAll(root, 'item'),
  ];
  const atomLink = (parent: XmlElement): XmlElement | undefined =>
    childElements(parent).find(
      (child) =>
        child.local === 'link' &&
        (child.ns === NS.atom10 || child.ns === NS.atom03) &&
        (child.attrs.rel ?? 'alternate') === 'alternate',
    );
  const feedLinkElement = channel ? reader.core(channel, 'link') : undefined;
  const feedAtomLink = channel ? atomLink(channel) : undefined;
  const feed: ExtractedFeed = {
    format: isRdf ? 'rdf' : 'rss',
    title: channel
      ? (reader.richText(reader.core(channel, 'title')) ??
        reader.plain(reader.inNs(channel, NS.dc, 'title')))
      : undefined,
    link: feedLinkElement
      ? reader.link(textContent(feedLinkElement), feedLinkElement)
      : feedAtomLink
        ? reader.link(feedAtomLink.attrs.href, feedAtomLink)
        : undefined,
    language: channel
      ? (reader.plain(reader.core(channel, 'language')) ??
        reader.plain(reader.inNs(channel, NS.dc, 'language')))
      : undefined,
    items: [],
  };
  for (const item of itemElements) {
    if (item.incomplete) continue;
    const linkElement = reader.core(item, 'link');
    const guidElement = reader.core(item, 'guid');
    const guid = reader.plain(guidElement) ?? item.attrs['rdf:about']?.trim() ?? undefined;
    // Some RSS generators write the item link Atom-style, as an href attribute.
    let link = linkElement
      ? reader.link(textContent(linkElement).trim() || linkElement.attrs.href, linkElement)
      : undefined;
    if (!link) {
      const itemAtomLink = atomLink(item);
      if (itemAtomLink) link = reader.link(itemAtomLink.attrs.href, itemAtomLink);
    }
    // A guid is the permalink unless it says otherwise (RSS 2.0).
    if (
      !link &&
      guidElement &&
      guid &&
      (guidElement.attrs.isPermaLink ?? 'true').toLowerCase() !== 'false' &&
      /^https?:\/\//i.test(guid)
    ) {
      link = reader.link(guid, guidElement);
    }
    if (!link && isRdf && guid && /^https?:\/\//i.test(guid)) link = guid;
    feed.items.push({
      title:
        reader.richText(reader.core(item, 'title')) ??
        reader.plain(reader.inNs(item, NS.dc, 'title')),
      link,
      guid,
      summary:
        reader.richText(reader.core(item, 'description')) ??
        reader.richText(reader.inNs(item, NS.dc, 'description')) ??
        reader.mediaDescription(item),
      content: reader.richText(reader.inNs(item, NS.content, 'encoded')),
      date: reader.date(item, RSS_DATES),
      author:
        reader.plain(reader.core(item, 'author')) ??
        reader.plain(reader.inNs(item, NS.dc, 'creator')),
      language: reader.plain(reader.inNs(item, NS.dc, 'language')),
    });
  }
  return feed;
}

function readAtom(root: XmlElement, documentBase: string): ExtractedFeed {
  const core = new Set(ATOM_NAMESPACES);
  core.add(root.ns);
  const reader = new Reader(documentBase, core);
  const alternate = (parent: XmlElement): string | undefined => {
    const links = reader.coreAll(parent, 'link').filter((link) => link.attrs.href);
    const preferred =
      links.find((link) => {
        const rel = (link.attrs.rel ?? 'alternate').toLowerCase();
        const type = (link.attrs.type ?? 'text/html').toLowerCase();
        return rel === 'alternate' && (type.includes('html') || type === '');
      }) ?? links.find((link) => (link.attrs.rel ?? 'alternate').toLowerCase() === 'alternate');
    return preferred ? reader.link(preferred.attrs.href, preferred) : undefined;
  };
  const feed: ExtractedFeed = {
    format: 'atom',
    title: reader.atomText(reader.core(root, 'title')),
    link: alternate(root),
    language: reader.language(root),
    items: [],
  };
  for (const entry of reader.coreAll(root, 'entry')) {
    if (entry.incomplete) continue;
    const author = reader.core(entry, 'author');
    const content = reader.core(entry, 'content');
    feed.items.push({
      title: reader.atomText(reader.core(entry, 'title')),
      link: alternate(entry),
      guid: reader.plain(reader.core(entry, 'id')),
      summary: reader.atomText(reader.core(entry, 'summary')) ?? reader.mediaDescription(entry),
      content: content && !content.attrs.src ? reader.atomText(content) : undefined,
      date: reader.date(entry, ATOM_DATES),
      author: author
        ? (reader.plain(reader.core(author, 'name')) ?? reader.plain(author))
        : undefined,
      language: reader.language(entry),
    });
  }
  return feed;
}

/** Read RSS 0.9x/1.0/2.0 or Atom from a parsed document; NOT_A_FEED for anything else. */
export function readXmlFeed(document: XmlDocument, documentBase: string): ExtractedFeed {
  const first = document.roots[0];
  if (!first) throw new FeedError('MALFORMED_XML', 'the document has no root element');
  // Servers sometimes print an error snippet before the real root, so look past it.
  const root = document.roots.find((element) => FEED_ROOTS.has(element.local.toLowerCase()));
  if (!root) {
    if (document.roots.some((element) => /^(html|body|head)$/i.test(element.local))) {
      throw new FeedError('NOT_A_FEED', 'the document is an HTML page, not a feed');
    }
    throw new FeedError('NOT_A_FEED', `the root element "${first.name}" is not RSS, RDF or Atom`);
  }
  const local = root.local.toLowerCase();
  const feed =
    local === 'rss' || local === 'channel'
      ? readRss(root, documentBase, false)
      : local === 'rdf'
        ? readRss(root, documentBase, true)
        : readAtom(root, documentBase);
  return document.entriesLeftOut > 0 ? { ...feed, itemsLeftOut: document.entriesLeftOut } : feed;
}

const FEED_ROOTS = new Set(['rss', 'channel', 'rdf', 'feed']);
