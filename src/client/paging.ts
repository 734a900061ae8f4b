/**
 * Paging helpers. Both yield items as pages arrive (async iterators) and have a collect-all form.
 *
 * SCIM: 1-based `startIndex`, `count`; `Resources` is absent on an empty result. The next page
 * starts at startIndex + items received. Stops on an empty page, or when `totalResults` is reached.
 *
 * Token paging (Unity Catalog, warehouses): follow `next_page_token` until it is absent or empty,
 * including pages that are empty yet still carry a token. A token repeated verbatim stops the loop
 * (a server bug would otherwise loop forever), as does a hard cap on the number of pages.
 */
import { UnexpectedResponseError } from './errors';

export const MAX_PAGES = 10_000;

export interface ScimPage<T> {
  items: T[];
  totalResults?: number;
}

export async function* scimPages<T>(fetchPage: (startIndex: number, count: number) => Promise<ScimPage<T>>, pageSize = 100): AsyncGenerator<T> {
  let startIndex = 1;
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, totalResults } = await fetchPage(startIndex, pageSize);
    for (const item of items) yield item;
    if (items.length === 0) return;
    startIndex += items.length;
    if (totalResults !== undefined && Number.isFinite(totalResults) && startIndex > totalResults) return;
  }
}

export interface TokenPage<T> {
  items: T[];
  nextPageToken?: string;
}

export async function* tokenPages<T>(fetchPage: (pageToken: string | undefined) => Promise<TokenPage<T>>, what = 'list'): AsyncGenerator<T> {
  let token: string | undefined;
  const seen = new Set<string>();
  for (let page = 0; page < MAX_PAGES; page++) {
    const { items, nextPageToken } = await fetchPage(token);
    for (const item of items) yield item;
    if (nextPageToken === undefined || nextPageToken === '') return;
    if (seen.has(nextPageToken)) {
      throw new UnexpectedResponseError({
        reason: 'schema',
        status: 200,
        method: 'GET',
        path: what,
        contentType: 'application/json',
        snippet: '',
        detail: 'the server returned the same next_page_token twice, so paging would never end',
      });
    }
    seen.add(nextPageToken);
    token = nextPageToken;
  }
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}
