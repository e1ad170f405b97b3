import { expect, test } from '@jest/globals';
import { codeBlock, heading, table } from '../../packages/core/src/report/markdown';
import { summaryHtml } from '../demo/report/summary-html';

test("a summary built with core's markdown helpers renders as GitHub renders it: heading, table, code block", () => {
  const html = summaryHtml(
    [
      heading('Deploy storefront: succeeded', 3),
      table(['Check', 'Result'], [['Images exist', 'a | b<br>c']]),
      codeBlock(['+ 0.0s <b>x</b>']),
    ].join('\n\n'),
  );
  expect(html).toContain('<h3>Deploy storefront: succeeded</h3>');
  expect(html).toMatch(/<table>\s*<thead>\s*<tr>\s*<th>Check<\/th>\s*<th>Result<\/th>/);
  expect(html).toContain('<td>a | b<br>c</td>');
  expect(html).toContain('<pre><code>+ 0.0s &lt;b&gt;x&lt;/b&gt;\n</code></pre>');
});

test('raw HTML keeps only the tags GitHub keeps, without their attributes; details stays open when asked', () => {
  const html = summaryHtml('<details open class="x"><summary onclick="steal()">Evidence</summary>\n\nlines\n\n</details>');
  expect(html).toContain('<details open><summary>Evidence</summary>');
  expect(html).toContain('</details>');
  expect(html).not.toContain('onclick');
});

test('a script, an image or a javascript: link in a summary is shown as text, never run or loaded', () => {
  const html = summaryHtml(
    '<script>alert(1)</script>\n\nreason: <img src=x onerror=alert(1)> [open](javascript:alert(1)) ![logo](https://example.com/l.png)',
  );
  expect(html).not.toMatch(/<script|<img|href="javascript/i);
  expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(html).toContain(' open logo');
});

test('links to the console keep their address', () => {
  expect(summaryHtml('[Service deployments in the console](https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/prod)')).toContain(
    '<a href="https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/prod" rel="nofollow noopener noreferrer">Service deployments in the console</a>',
  );
});
