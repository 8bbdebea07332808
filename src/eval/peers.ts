/**
 * The matchers we compare ourselves with, trained on the same knowledge questions: NLP.js (the
 * Dutch and English language packages, its neural intent classifier) and a plain fuse.js search.
 * They are measured, never used to answer users.
 */
import Fuse from 'fuse.js';
import type { Lang } from '../knowledge/types';
import type { MatchDoc } from '../nlu/matcher';

/** What every compared matcher returns: the id it would answer with, or null for "I don't know". */
export interface PeerResult {
  readonly id: string | null;
  readonly score: number;
}

export interface ComparedMatcher {
  readonly name: string;
  match(text: string, lang: Lang): PeerResult | Promise<PeerResult>;
}

/** NLP.js with @nlpjs/lang-nl and @nlpjs/lang-en; told the true language of every question. */
export async function trainNlpJs(docs: readonly MatchDoc[]): Promise<ComparedMatcher> {
  // Loaded on demand: a development dependency, only for eval and bench.
  const { containerBootstrap } = await import('@nlpjs/core');
  const { Nlp } = await import('@nlpjs/nlp');
  const { LangNl } = await import('@nlpjs/lang-nl');
  const { LangEn } = await import('@nlpjs/lang-en');
  const container = await containerBootstrap();
  container.use(LangNl);
  container.use(LangEn);
  const nlp = new Nlp({ container, autoSave: false, autoLoad: false, nlu: { log: false } });
  nlp.addLanguage('nl');
  nlp.addLanguage('en');
  for (const d of docs) {
    for (const lang of ['nl', 'en'] as const) for (const q of d.questions[lang]) nlp.addDocument(lang, q, d.id);
  }
  await nlp.train();
  return {
    name: 'NLP.js',
    async match(text, lang) {
      const r = await nlp.process(lang, text);
      const id = r.intent && r.intent !== 'None' ? String(r.intent) : null;
      return { id, score: typeof r.score === 'number' ? r.score : 0 };
    },
  };
}

/** fuse.js over every alternate question (both languages), its default threshold deciding. */
export function buildFuse(docs: readonly MatchDoc[]): ComparedMatcher {
  const items = docs.flatMap((d) => [...d.questions.nl, ...d.questions.en].map((text) => ({ id: d.id, text })));
  const fuse = new Fuse(items, { keys: ['text'], includeScore: true });
  return {
    name: 'fuse.js',
    match(text) {
      const [best] = fuse.search(text.slice(0, 2000), { limit: 1 });
      return best ? { id: best.item.id, score: 1 - (best.score ?? 1) } : { id: null, score: 0 };
    },
  };
}
