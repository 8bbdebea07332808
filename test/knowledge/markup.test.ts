/**
 * Markup in the knowledge: markdown links to web pages pass; raw HTML, images and links to
 * anything but a web page, e-mail or phone are refused at load time, each at its file and line.
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { loadKnowledge } from '../../src/knowledge/loader';
import { markupProblems } from '../../src/knowledge/markup';
import { copyKnowledge } from '../support/testConfig';

describe('markupProblems', () => {
  it('passes the markdown editors write', () => {
    const text = [
      '**Vet**, _schuin_ en een lijst:',
      '- [NCTV](https://www.nctv.nl/onderwerpen "NCTV") of [mail ons](mailto:info@example.nl), [bel](tel:+31201234567)',
      'Minder dan 5 mensen (< 5, <5) en a<b; pijl -> en <= blijven tekst.',
      '[ref]: https://example.nl',
    ].join('\n');
    expect(markupProblems(text)).toEqual([]);
  });

  it.each([
    ['a script tag', '<script>window.__pwned=1</script>', /HTML \("<script>"\)/],
    ['an img tag with an event handler', '<img src=x onerror="window.__pwned=1">', /HTML \("<img src=x/],
    ['a line break tag', 'regel<br/>regel', /HTML \("<br\/>"\)/],
    ['an HTML comment', 'tekst <!-- verborgen -->', /HTML \("<!--"\)/],
    ['a javascript: link', '[click](javascript:window.__pwned=1)', /does not go to a web page/],
    ['a javascript: link in other case, in angle brackets', '[click](<JaVaScRiPt:alert(1)>)', /does not go to a web page/],
    ['a data: link', '[x](data:text/html;base64,PHNjcmlwdD4=)', /does not go to a web page/],
    ['a link with an entity in its scheme', '[x](jav&#x61;script:alert(1))', /does not go to a web page/],
    ['a reference to javascript:', '[x][r]\n\n[r]: javascript:alert(1)', /does not go to a web page/],
    ['a markdown image', '![logo](https://example.nl/logo.png)', /an image/],
  ])('refuses %s', (_label, text, message) => {
    const problems = markupProblems(text);
    expect(problems.length).toBeGreaterThan(0);
    expect(problems[0]!.message).toMatch(message);
    expect(text).toContain(problems[0]!.snippet);
  });
});

describe('loading knowledge with markup', () => {
  it('refuses hostile markup in an answer and a title with the file and line of each', () => {
    const dir = copyKnowledge();
    try {
      const file = path.join(dir, 'qna', 'robots-cobots.yaml');
      const doc = YAML.parse(fs.readFileSync(file, 'utf8'));
      const entry = doc.entries[0];
      entry.answer.nl = `Een cobot.\n\n<script>window.__pwned=1</script>\n\n<img src=x onerror="window.__pwned=1">\n\n[click](javascript:window.__pwned=1)\n\n![x](https://evil.example/x.png)\n`;
      entry.title = { nl: 'Cobot <b>vet</b>', en: 'Cobot [click](javascript:window.__pwned=1)' };
      const written = `# yaml-language-server: $schema=../schemas/qna.schema.json\n${YAML.stringify(doc)}`;
      fs.writeFileSync(file, written);
      const lineOf = (snippet: string) => written.slice(0, written.indexOf(snippet)).split('\n').length;

      const result = loadKnowledge(dir, { displayRoot: dir });
      expect(result.data).toBeNull();
      const errors = result.problems.filter((p) => p.severity === 'error');
      const at = (snippet: string) => errors.find((p) => p.line === lineOf(snippet));
      expect(at('<script>')).toMatchObject({ file: path.join('qna', 'robots-cobots.yaml'), message: expect.stringMatching(/HTML \("<script>"\)/) });
      expect(at('<img src=x')).toMatchObject({ message: expect.stringMatching(/HTML \("<img/) });
      expect(at('[click](javascript:window.__pwned=1)\n')).toMatchObject({ message: expect.stringMatching(/does not go to a web page/) });
      expect(at('![x]')).toMatchObject({ message: expect.stringMatching(/an image/) });
      expect(at('Cobot <b>')).toMatchObject({ message: expect.stringMatching(/HTML \("<b>"\)/) });
      expect(at('Cobot [click]')).toMatchObject({ message: expect.stringMatching(/does not go to a web page/) });
      expect(errors).toHaveLength(8); // <script>, </script>, <img>, the link, the image; <b>, </b> and the link of the titles
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses HTML in the bot\'s own texts (ui.yaml) too', () => {
    const dir = copyKnowledge();
    try {
      const file = path.join(dir, 'ui.yaml');
      const source = fs.readFileSync(file, 'utf8');
      const edited = source.replace('      Hallo! Ik ben', '      <iframe src="//evil.example"></iframe> Hallo! Ik ben');
      expect(edited).not.toBe(source);
      fs.writeFileSync(file, edited);
      const result = loadKnowledge(dir, { displayRoot: dir });
      expect(result.data).toBeNull();
      const line = edited.slice(0, edited.indexOf('<iframe')).split('\n').length;
      expect(result.problems).toContainEqual(expect.objectContaining({ file: 'ui.yaml', line, col: 7, severity: 'error', message: expect.stringMatching(/HTML \("<iframe/) }));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
