/** The report page's stylesheet: the job summaries as GitHub's markdown looks, and the chart's colours. */
export const PAGE_STYLE = `
:root { color-scheme: light; --fg: #1f2328; --muted: #59636e; --border: #d1d9e0; --canvas: #f6f8fa;
  --served: #8fd19e; --failed: #cf222e; --deploy: #0969da; --rollback: #bc4c00; --ok: #1a7f37; --stage: #8250df; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif;
  color: var(--fg); background: #fff; }
main { max-width: 1080px; margin: 0 auto; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 4px; }
.meta { color: var(--muted); margin: 0 0 16px; }
.outcome.ok { color: var(--ok); } .outcome.bad { color: var(--failed); }
figure { margin: 0 0 20px; border: 1px solid var(--border); border-radius: 6px; padding: 12px 12px 4px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
figcaption span { font-weight: 400; color: var(--muted); }
.legend { display: flex; flex-wrap: wrap; gap: 16px; color: var(--muted); margin: 0 0 12px; padding: 0; list-style: none; }
.legend i { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; border-radius: 2px; }
svg.chart { width: 100%; height: auto; display: block; font: 11px -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
.grid { stroke: #eaeef2; } .axis, .tick { stroke: var(--muted); } .axis-label, .axis-title { fill: var(--muted); }
.served { fill: var(--served); } .failed { fill: var(--failed); }
.mark-line { stroke-width: 1.5; } .mark-label { font-weight: 600; }
.mark-deploy .mark-line { stroke: var(--deploy); stroke-dasharray: 4 3; } .mark-deploy .mark-label { fill: var(--deploy); }
.mark-rollback .mark-line { stroke: var(--rollback); } .mark-rollback .mark-label { fill: var(--rollback); }
.mark-band { fill: var(--rollback); fill-opacity: 0.15; }
.mark-verdict .mark-line { stroke-width: 1; stroke-dasharray: 1 3; }
.mark-verdict.ok .mark-diamond, .mark-verdict.ok .mark-line { fill: var(--ok); stroke: var(--ok); } .mark-verdict.ok .mark-label { fill: var(--ok); }
.mark-verdict.bad .mark-diamond, .mark-verdict.bad .mark-line { fill: var(--failed); stroke: var(--failed); } .mark-verdict.bad .mark-label { fill: var(--failed); }
.mark-tick { stroke: var(--stage); stroke-width: 2; }
.step-span rect { fill: #dafbe1; stroke: #4ac26b; } .step-span.bad rect { fill: #ffebe9; stroke: #ff8182; }
.step-label { fill: var(--fg); font-size: 10px; }
.verdicts { list-style: none; padding: 0; margin: 0 0 24px; }
.verdicts li::before { content: "✔ "; color: var(--ok); } .verdicts li.bad::before { content: "✘ "; color: var(--failed); }
.step { border: 1px solid var(--border); border-radius: 6px; margin: 0 0 16px; }
.step > header { background: var(--canvas); border-bottom: 1px solid var(--border); padding: 8px 16px; border-radius: 6px 6px 0 0; }
.step > header h4 { display: inline; font-size: 14px; margin: 0 8px 0 0; }
.step > header span { color: var(--muted); }
.markdown-body { padding: 16px; overflow-wrap: break-word; }
.markdown-body > :first-child { margin-top: 0; } .markdown-body > :last-child { margin-bottom: 0; }
.markdown-body h1, .markdown-body h2, .markdown-body h3 { margin: 24px 0 16px; font-weight: 600; line-height: 1.25; }
.markdown-body h1 { font-size: 2em; } .markdown-body h2 { font-size: 1.5em; border-bottom: 1px solid var(--border); padding-bottom: .3em; }
.markdown-body h3 { font-size: 1.25em; }
.markdown-body p, .markdown-body ul, .markdown-body ol, .markdown-body table, .markdown-body pre, .markdown-body details { margin: 0 0 16px; }
.markdown-body table { border-collapse: collapse; display: block; width: max-content; max-width: 100%; overflow: auto; }
.markdown-body th, .markdown-body td { border: 1px solid var(--border); padding: 6px 13px; }
.markdown-body th { font-weight: 600; } .markdown-body tr:nth-child(2n) { background: var(--canvas); }
.markdown-body code { font: 85% ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background: rgba(129,139,152,.12);
  padding: .2em .4em; border-radius: 6px; }
.markdown-body pre { background: var(--canvas); padding: 16px; overflow: auto; border-radius: 6px; line-height: 1.45; }
.markdown-body pre code { background: none; padding: 0; font-size: 85%; }
.markdown-body a { color: var(--deploy); text-decoration: none; }
.markdown-body summary { cursor: pointer; }
`;
