import type {ReactiveController, ReactiveControllerHost} from 'lit';
import type {Page} from './admin-api.ts';

/**
 * A newest-first list read page by page from the admin API, for the element that hosts it: the
 * items so far, the cursor of the next page and the last error. A new first-page load (a new
 * search or filter) supersedes any load still in flight, so a slow old answer never wins.
 */
export class PagedList<T> implements ReactiveController {
  /** The items loaded so far. */
  items: T[] = [];
  /** The next page's cursor, or null at the end. */
  nextCursor: string | null = null;
  /** The last load's error message, or ''. */
  error = '';
  private generation = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly fetchPage: (cursor?: string) => Promise<Page<T>>,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    void this.load();
  }

  /** Loads the first page afresh, or with `cursor`, the page after the items so far. */
  async load(cursor?: string): Promise<void> {
    const generation = cursor === undefined ? ++this.generation : this.generation;
    try {
      const page = await this.fetchPage(cursor);
      if (generation !== this.generation) return;
      this.items = cursor === undefined ? page.items : [...this.items, ...page.items];
      this.nextCursor = page.nextCursor;
      this.error = '';
    } catch (error) {
      this.error = (error as Error).message;
    }
    this.host.requestUpdate();
  }
}
