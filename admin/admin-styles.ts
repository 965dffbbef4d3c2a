import {css} from 'lit';

/** Shared look of the console's elements: cards, forms, buttons and tables that read at phone width. */
export const adminStyles = css`
  :host { display: block; color: #1f2329;
    font: 14px/1.55 system-ui, -apple-system, 'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK SC', sans-serif; }
  h2 { font-size: 18px; margin: 0 0 12px; }
  h3 { font-size: 15px; margin: 16px 0 8px; }
  fieldset { border: 1px solid #e4e7ec; border-radius: 10px; padding: 4px 14px 10px; margin: 0 0 14px; }
  legend { font-weight: 600; padding: 0 6px; }
  p { margin: 0 0 10px; }
  .muted { color: #5f6b7a; font-size: 13px; }
  .card { background: #fff; border: 1px solid #e4e7ec; border-radius: 12px; padding: 20px; }
  button, .button { font: inherit; border: 1px solid #0071db; background: #0071db; color: #fff; border-radius: 7px;
    padding: 6px 14px; cursor: pointer; }
  button.secondary { background: #fff; color: #0071db; }
  button.danger { background: #c0392b; border-color: #c0392b; }
  button:disabled { opacity: .55; cursor: progress; }
  button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, a:focus-visible {
    outline: 2px solid #0071db; outline-offset: 2px; }
  label { display: block; font-weight: 600; margin-bottom: 4px; }
  input, select, textarea { font: inherit; width: 100%; box-sizing: border-box; border: 1px solid #c9ced6;
    border-radius: 7px; padding: 7px 10px; background: #fff; color: inherit; }
  input[readonly] { background: #f4f6f9; color: #5f6b7a; }
  textarea { min-height: 76px; font-family: ui-monospace, monospace; font-size: 13px; }
  input[aria-invalid=true], textarea[aria-invalid=true] { border-color: #c0392b; }
  .field { margin-bottom: 14px; }
  .hint { color: #5f6b7a; font-size: 12.5px; margin-top: 3px; }
  .error { color: #c0392b; font-size: 13px; margin-top: 3px; }
  .banner { border-radius: 8px; padding: 10px 12px; margin: 12px 0; }
  .banner.ok { background: #e7f6ee; color: #0f5c31; }
  .banner.bad { background: #fdecea; color: #8c1d12; }
  .row { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
  table { width: 100%; border-collapse: collapse; font-size: 13px; }
  th, td { text-align: left; padding: 7px 8px; border-bottom: 1px solid #eef0f3; vertical-align: top; }
  th { color: #5f6b7a; font-weight: 600; }
  code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
  pre { background: #f4f6f9; border: 1px solid #e4e7ec; border-radius: 8px; padding: 12px; overflow: auto;
    white-space: pre-wrap; word-break: break-all; margin: 0; }
  .table-wrap { overflow-x: auto; }
  .panel { margin-top: 16px; }
  .spaced { margin-top: 8px; }
  .chart { width: 100%; max-width: 600px; display: block; margin: 8px 0; }
  .legend { display: flex; flex-wrap: wrap; gap: 6px 16px; list-style: none; padding: 0; margin: 0 0 8px;
    font-size: 13px; }
  .swatch { margin-right: 6px; vertical-align: -1px; }
`;
