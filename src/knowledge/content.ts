/**
 * The conversational content: Q&A entries (qna/*.yaml), the bot's texts (ui.yaml), synonyms,
 * tasks and the quick scan. Collected from the validated files and cross-checked.
 */
import type { ParsedYaml } from './yamlFile';
import type { Reporter } from './records';
import { LANGS, type Bilingual, type OutOfScope, type QnaEntry, type QuickScan, type SynonymGroup, type Task, type UiText } from './types';

export type ContentFile = 'qna' | 'ui' | 'synonyms' | 'tasks' | 'quickscan' | 'outofscope';

export interface Content {
  entries: QnaEntry[];
  ui: UiText | null;
  synonyms: SynonymGroup[];
  tasks: Task[];
  quickScan: QuickScan | null;
  outOfScope: OutOfScope | null;
}

const YEAR_MS = 365.25 * 24 * 3600 * 1000;

/** Lower case, no accents, no punctuation: two questions that only differ in these are the same. */
export function questionKey(q: string): string {
  return q
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

type RawEntry = Omit<QnaEntry, 'topic' | 'at' | 'title' | 'followUps' | 'tags' | 'sources'> & Partial<QnaEntry>;

export function collectContent(files: readonly { name: ContentFile; doc: ParsedYaml }[], report: Reporter): Content {
  const content: Content = { entries: [], ui: null, synonyms: [], tasks: [], quickScan: null, outOfScope: null };
  const idAt = new Map<string, string>();
  const questionOwner = new Map<string, { id: string; file: string; line: number }>();

  /** One id, one owner; one question, one owner (across entries and tasks). */
  const claimQuestions = (doc: ParsedYaml, base: (string | number)[], id: string, questions: Bilingual<readonly string[]>) => {
    for (const lang of LANGS) {
      questions[lang].forEach((q, qi) => {
        const key = `${lang}:${questionKey(q)}`;
        const owner = questionOwner.get(key);
        const pos = doc.at([...base, lang, qi]);
        if (owner && owner.id !== id) {
          report.error(doc.file, pos.line, pos.col, `the question "${q}" is also a question of "${owner.id}" (${owner.file}:${owner.line}); a question can belong to one entry only`);
        } else if (owner) {
          report.warn(doc.file, pos.line, pos.col, `the question "${q}" is listed twice in "${id}"`);
        } else {
          questionOwner.set(key, { id, file: doc.file, line: pos.line });
        }
      });
    }
  };

  for (const { name, doc } of files) {
    if (name === 'qna') {
      const data = doc.data as { topic: Bilingual; entries: RawEntry[] };
      data.entries.forEach((raw, i) => {
        const idPos = doc.at(['entries', i, 'id']);
        const prev = idAt.get(raw.id);
        if (prev) {
          report.error(doc.file, idPos.line, idPos.col, `id "${raw.id}" is used twice: it is also at ${prev}; every entry needs its own id`);
          return;
        }
        idAt.set(raw.id, `${doc.file}:${idPos.line}`);
        content.entries.push({
          id: raw.id,
          topic: data.topic,
          title: raw.title ?? { nl: raw.questions.nl[0]!, en: raw.questions.en[0]! },
          questions: raw.questions,
          answer: { nl: raw.answer.nl.trim(), en: raw.answer.en.trim() },
          followUps: raw.followUps ?? [],
          tags: raw.tags ?? [],
          sources: raw.sources ?? [],
          factsYear: raw.factsYear,
          reviewed: raw.reviewed,
          at: { file: doc.file, line: idPos.line },
        });
        claimQuestions(doc, ['entries', i, 'questions'], raw.id, raw.questions);
      });
    } else if (name === 'tasks') {
      const data = doc.data as { tasks: Task[] };
      data.tasks.forEach((t, i) => {
        const pos = doc.at(['tasks', i, 'id']);
        if (content.tasks.some((x) => x.id === t.id)) report.error(doc.file, pos.line, pos.col, `task "${t.id}" is listed twice`);
        else content.tasks.push(t);
        claimQuestions(doc, ['tasks', i, 'questions'], t.id, t.questions);
      });
    } else if (name === 'ui') {
      content.ui = doc.data as UiText;
    } else if (name === 'quickscan') {
      content.quickScan = doc.data as QuickScan;
    } else if (name === 'outofscope') {
      content.outOfScope = doc.data as OutOfScope;
    } else if (name === 'synonyms') {
      const data = doc.data as { synonyms: string[][] };
      const termOwner = new Map<string, number>();
      data.synonyms.forEach((group, gi) => {
        group.forEach((term, ti) => {
          const key = questionKey(term);
          const pos = doc.at(['synonyms', gi, ti]);
          if (!key) {
            report.error(doc.file, pos.line, pos.col, `the synonym "${term}" has no letters or digits`);
            return;
          }
          const other = termOwner.get(key);
          if (other !== undefined && other !== gi) {
            report.error(doc.file, pos.line, pos.col, `"${term}" is in two synonym groups (also in group ${other + 1}, starting with "${data.synonyms[other]![0]}"); merge them or remove one`);
          }
          termOwner.set(key, gi);
        });
        content.synonyms.push(group);
      });
    }
  }
  return content;
}

/**
 * Cross-checks that need the whole knowledge: references between files, sources, dates.
 * @param known ids by kind, from the record files
 */
export function checkContent(
  files: readonly { name: ContentFile; doc: ParsedYaml }[],
  content: Content,
  known: { themes: ReadonlySet<string> },
  today: Date,
  report: Reporter,
): void {
  const ids = new Set(content.entries.map((e) => e.id));
  const taskIds = new Set<string>(content.tasks.map((t) => t.id));
  for (const { name, doc } of files) {
    if (name === 'qna') {
      const data = doc.data as { entries: RawEntry[] };
      data.entries.forEach((raw, i) => {
        (raw.followUps ?? []).forEach((f, fi) => {
          const pos = doc.at(['entries', i, 'followUps', fi]);
          if (f === raw.id) report.warn(doc.file, pos.line, pos.col, `"${raw.id}" lists itself as a follow-up`);
          else if (!ids.has(f) && !taskIds.has(f)) report.error(doc.file, pos.line, pos.col, `follow-up "${f}" does not exist (no entry or task has that id)`);
        });
        if (!(raw.sources ?? []).length && !(raw.tags ?? []).includes('about-bot')) {
          const pos = doc.at(['entries', i, 'id']);
          report.warn(doc.file, pos.line, pos.col, `"${raw.id}" has no sources: add the web page(s) its facts come from`);
        }
        const reviewed = Date.parse(raw.reviewed);
        if (Number.isFinite(reviewed) && today.getTime() - reviewed > YEAR_MS) {
          const pos = doc.at(['entries', i, 'reviewed']);
          report.warn(doc.file, pos.line, pos.col, `"${raw.id}" was last reviewed on ${raw.reviewed}, more than a year ago: check it and update the date`);
        }
        if (Number.isFinite(reviewed) && reviewed > today.getTime() + 24 * 3600 * 1000) {
          const pos = doc.at(['entries', i, 'reviewed']);
          report.warn(doc.file, pos.line, pos.col, `"${raw.id}" has a review date in the future (${raw.reviewed})`);
        }
        if (raw.factsYear !== undefined && raw.factsYear < today.getFullYear() - 1) {
          const pos = doc.at(['entries', i, 'factsYear']);
          report.warn(doc.file, pos.line, pos.col, `the facts in "${raw.id}" hold for ${raw.factsYear}, more than a year ago: check the amounts and dates`);
        }
      });
    } else if (name === 'ui' && content.ui) {
      content.ui.menu.forEach((m, i) => {
        if (!ids.has(m.target) && !taskIds.has(m.target)) {
          const pos = doc.at(['menu', i, 'target']);
          report.error(doc.file, pos.line, pos.col, `menu button "${m.title.nl}" opens "${m.target}", which is no entry or task`);
        }
      });
      for (const [key, text] of Object.entries(content.ui.strings)) {
        const nlVars = (text.nl.match(/\{\w+\}/g) ?? []).sort().join();
        const enVars = (text.en.match(/\{\w+\}/g) ?? []).sort().join();
        if (nlVars !== enVars) {
          const pos = doc.at(['strings', key]);
          report.error(doc.file, pos.line, pos.col, `"${key}" uses different placeholders in nl (${nlVars || 'none'}) and en (${enVars || 'none'})`);
        }
      }
    } else if (name === 'quickscan' && content.quickScan) {
      const statements = content.quickScan.dimensions.reduce((n, d) => n + d.statements.length, 0);
      if (statements < 6 || statements > 10) report.error(doc.file, 1, 1, `the quick scan has ${statements} statements; keep it to six to ten`);
      content.quickScan.dimensions.forEach((d, di) =>
        d.steps.forEach((s, si) => {
          if (s.entry && !ids.has(s.entry)) {
            const pos = doc.at(['dimensions', di, 'steps', si, 'entry']);
            report.error(doc.file, pos.line, pos.col, `step of "${d.id}" opens "${s.entry}", which does not exist`);
          }
          if (s.theme && !known.themes.has(s.theme)) {
            const pos = doc.at(['dimensions', di, 'steps', si, 'theme']);
            report.error(doc.file, pos.line, pos.col, `step of "${d.id}" names theme "${s.theme}", which is not in fieldlabs.yaml`);
          }
        }),
      );
    }
  }
}
