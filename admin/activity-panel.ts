import {html, nothing, svg} from 'lit';
import type {Activity} from './admin-api.ts';
import {ConnectionPanel} from './connection-panel.ts';

/** Bar colours: successes green, then one colour per failure code, in a fixed order so a code keeps its colour. */
const SUCCESS_COLOUR = '#2e9e5b';
const FAILURE_COLOURS = ['#d9534f', '#f0ad4e', '#8e6bbf', '#5b8def', '#c77c48', '#6c757d', '#e06c9f', '#3aa6a0'];
const [WIDTH, HEIGHT, AXIS] = [600, 160, 18];

/**
 * A connection's login activity as a picture: logins per day over the last 30 days (UTC), failures
 * stacked by reason on top of the successes, and the latest failures with what they mean.
 */
export class AdminActivityPanel extends ConnectionPanel {
  static override properties = {
    ...ConnectionPanel.properties,
    activity: {state: true},
    error: {state: true},
  };

  private activity: Activity | null = null;
  private error = '';

  override connectedCallback(): void {
    super.connectedCallback();
    this.api.activity(this.connection.identifier).then(
      (activity) => (this.activity = activity),
      (error: Error) => (this.error = error.message),
    );
  }

  protected override render() {
    const s = this.strings;
    if (this.error) return html`<div class="banner bad" role="alert">${this.error}</div>`;
    if (!this.activity) return html`<p class="muted">…</p>`;
    const {days, latestFailures} = this.activity;
    const codes = [...new Set(days.flatMap((day) => Object.keys(day.failed)))].sort();
    const colour = (code: string) => FAILURE_COLOURS[codes.indexOf(code) % FAILURE_COLOURS.length]!;
    const totals = days.map((day) => day.succeeded + Object.values(day.failed).reduce((sum, n) => sum + n, 0));
    const failed = totals.reduce((sum, total) => sum + total, 0) - days.reduce((sum, day) => sum + day.succeeded, 0);
    const summary = s.activitySummary
      .replace('{total}', String(totals.reduce((sum, n) => sum + n, 0)))
      .replace('{failed}', String(failed));
    return html`<p>${summary}</p>
      ${this.chart(days, totals, codes, colour, summary)}
      <ul class="legend">
        <li>${swatch(SUCCESS_COLOUR)}${s.succeeded}</li>
        ${codes.map((code) => html`<li>${swatch(colour(code))}<code>${code}</code></li>`)}
      </ul>
      <h3>${s.latestFailures}</h3>
      ${
        latestFailures.length === 0
          ? html`<p class="muted">${s.noFailures}</p>`
          : html`<div class="table-wrap"><table id="latest-failures">
        <tbody>${latestFailures.map(
          (entry) => html`<tr>
          <td>${new Date(entry.at).toLocaleString()}</td>
          <td><code>${entry.code ?? '—'}</code>${
            entry.wecomErrcode === null ? nothing : html` <code>${entry.wecomErrcode}</code>`
          }</td>
          <td>${s.failureReasons[entry.code ?? ''] ?? entry.code}${
            entry.wecomErrcode !== null && s.errcodes[entry.wecomErrcode]
              ? html` ${s.errcodes[entry.wecomErrcode]}`
              : nothing
          }</td>
        </tr>`,
        )}</tbody></table></div>`
      }`;
  }

  private chart(
    days: Activity['days'],
    totals: number[],
    codes: string[],
    colour: (code: string) => string,
    summary: string,
  ) {
    const max = Math.max(1, ...totals);
    const slot = WIDTH / days.length;
    const scale = (n: number) => (n / max) * (HEIGHT - AXIS);
    const bars = days.map((day, i) => {
      let y = HEIGHT - AXIS;
      const segments: Array<[string, number]> = [
        [SUCCESS_COLOUR, day.succeeded],
        ...codes.map((code): [string, number] => [colour(code), day.failed[code] ?? 0]),
      ];
      const label = `${day.day}: ${day.succeeded} ✓ ${Object.entries(day.failed)
        .map(([code, n]) => `${n} ${code}`)
        .join(', ')}`;
      return svg`<g><title>${label}</title>${segments
        .filter(([, n]) => n > 0)
        .map(([fill, n]) => {
          y -= scale(n);
          return svg`<rect x=${i * slot + 2} y=${y} width=${slot - 4} height=${scale(n)} fill=${fill}></rect>`;
        })}</g>`;
    });
    const ticks = [0, Math.floor(days.length / 2), days.length - 1];
    return html`<svg id="activity-chart" class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img"
      aria-label=${summary}>
      <line x1="0" y1=${HEIGHT - AXIS} x2=${WIDTH} y2=${HEIGHT - AXIS} stroke="#c9ced6"></line>
      <text x="0" y="10" font-size="10" fill="#646a73">${max}</text>
      ${bars}
      ${ticks.map(
        (i, n) => svg`<text x=${n === 0 ? 0 : n === ticks.length - 1 ? WIDTH : i * slot + slot / 2} y=${HEIGHT - 4}
          font-size="10" fill="#646a73"
        text-anchor=${n === 0 ? 'start' : n === ticks.length - 1 ? 'end' : 'middle'}>${days[i]!.day.slice(5)}</text>`,
      )}
    </svg>`;
  }
}
customElements.define('admin-activity-panel', AdminActivityPanel);

/** A legend's colour square: SVG, since the console's CSP allows no inline style attributes. */
function swatch(fill: string) {
  return html`<svg class="swatch" width="10" height="10" aria-hidden="true"><rect width="10" height="10" rx="2"
    fill=${fill}></rect></svg>`;
}
