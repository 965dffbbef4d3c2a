/** A response as a test sees it. */
export interface TestResponse {
  status: number;
  headers: Headers;
  text: string;
  url: string;
}

/**
 * A minimal browser for server tests: keeps cookies per host, sends a Referer like Chromium does
 * (only the origin when the page said `Referrer-Policy: origin`) and never follows redirects by itself.
 */
export class TestBrowser {
  private readonly cookies = new Map<string, Map<string, string>>();
  /** Every response this browser received, for "never leaks" assertions. */
  readonly responses: TestResponse[] = [];
  /** The User-Agent it sends (say the WeCom client's); undici's own when unset. */
  userAgent?: string;

  async request(
    url: string,
    init: {method?: string; referer?: string; headers?: Record<string, string>; body?: string} = {},
  ): Promise<TestResponse> {
    const target = new URL(url);
    const jar = this.cookies.get(target.host);
    const headers: Record<string, string> = {...(this.userAgent && {'user-agent': this.userAgent}), ...init.headers};
    if (jar?.size) headers.cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    if (init.referer) headers.referer = init.referer;
    const response = await fetch(target, {method: init.method ?? 'GET', headers, body: init.body, redirect: 'manual'});
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.split('=');
      if (!this.cookies.has(target.host)) this.cookies.set(target.host, new Map());
      this.cookies.get(target.host)!.set(name!.trim(), value.join('='));
    }
    const result = {status: response.status, headers: response.headers, text: await response.text(), url};
    this.responses.push(result);
    return result;
  }

  /** GET, sending the Referer the page at `from` would send. */
  get(url: string, from?: TestResponse): Promise<TestResponse> {
    return this.request(url, {referer: from ? refererOf(from) : undefined});
  }

  /** Drops all cookies (a different browser). */
  clearCookies(): void {
    this.cookies.clear();
  }
}

function refererOf(page: TestResponse): string {
  const policy = page.headers.get('referrer-policy');
  return policy === 'origin' ? `${new URL(page.url).origin}/` : page.url;
}

/** The JSON of the `<script type="application/json" id=…>` element of a page. */
export function readJsonScript<T>(html: string, id: string): T {
  const match = new RegExp(`<script type="application/json" id="${id}">([^<]*)</script>`).exec(html);
  if (!match) throw new Error(`No #${id} JSON script in the page:\n${html.slice(0, 500)}`);
  return JSON.parse(match[1]!) as T;
}
