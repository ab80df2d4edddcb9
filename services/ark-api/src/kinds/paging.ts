/** `limit` items per page, `page` counted from 1 (upstream's events paging); no limit: everything. */
export interface PageRequest {
  limit?: number;
  page?: number;
}

export interface Page<T> {
  items: T[];
  /** Items matching, across all pages. */
  total: number;
}

export function pageOf<T>(items: T[], { limit, page = 1 }: PageRequest): Page<T> {
  if (!limit) return { items, total: items.length };
  const start = (page - 1) * limit;
  return { items: items.slice(start, start + limit), total: items.length };
}
