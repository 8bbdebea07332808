/**
 * A generated question log: a few thousand questions from known families of phrasings (so the
 * test knows which belong together), with names and phone numbers mixed in and then redacted as
 * the bot would, spread over two months, plus unrelated one-off questions.
 */
import { redact } from '../../src/insights/redact';
import { pseudonym, type FeedbackRecord, type QuestionRecord } from '../../src/insights/records';

export interface Family {
  readonly name: string;
  readonly count: number;
  readonly lang: 'nl' | 'en';
  readonly phrasings: readonly string[];
  /** What the (fake) matcher says is nearest to this family's questions. */
  readonly nearest: ReadonlyArray<{ id: string; score: number }>;
}

export const FAMILIES: readonly Family[] = [
  {
    name: 'cobot cost',
    count: 1200,
    lang: 'nl',
    phrasings: ['Wat kost een cobot?', 'wat kost een cobot ongeveer', 'hoeveel kost een cobot', 'kosten van een cobot', 'Wat kost een cobot inclusief installatie?'],
    nearest: [{ id: 'cobot-cost', score: 0.62 }, { id: 'cobot-what', score: 0.31 }],
  },
  {
    name: 'hydrogen',
    count: 700,
    lang: 'nl',
    phrasings: ['Is er subsidie voor waterstof?', 'waterstof subsidie', 'subsidie voor waterstof in de productie', 'welke subsidie is er voor waterstof'],
    nearest: [{ id: 'energy-saving', score: 0.12 }],
  },
  {
    name: 'exoskeleton cost',
    count: 400,
    lang: 'nl',
    phrasings: ['Wat kost een exoskelet?', 'wat kost een exoskelet ongeveer', 'hoeveel kost een exoskelet'],
    nearest: [{ id: 'robot-safety', score: 0.08 }],
  },
  {
    name: 'cobot cost (en)',
    count: 320,
    lang: 'en',
    phrasings: ['What does a cobot cost?', 'how much does a cobot cost', 'cobot cost estimate'],
    nearest: [{ id: 'cobot-cost', score: 0.58 }],
  },
  {
    name: 'erp',
    count: 300,
    lang: 'nl',
    phrasings: ['Hoe koppel ik mijn ERP aan de machines?', 'ERP koppelen aan machines', 'machines koppelen aan ERP systeem'],
    nearest: [{ id: 'erp-mes', score: 0.41 }],
  },
];

const NOISE_WORDS = ['lakstraat', 'zeefdruk', 'gieterij', 'keramiek', 'textiel', 'verpakking', 'bakkerij', 'houtbewerking', 'glasblazen', 'meubel', 'borstels', 'kaasmakerij', 'touwslagerij', 'drukkerij', 'leerlooierij', 'smederij', 'klokkengieter', 'orgelbouw', 'scheepsbouw', 'fietsframe'];
const NOISE_TOPICS = ['planning', 'voorraad', 'offerte', 'onderhoud', 'certificaat', 'vergunning', 'personeel', 'export', 'logistiek', 'software'];

function rng(seed: number) {
  let a = seed;
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GeneratedLog {
  readonly questions: QuestionRecord[];
  readonly feedback: FeedbackRecord[];
  /** Family name of a (redacted) question text, or 'noise'. */
  familyOf(text: string): string;
  nearest(text: string): Array<{ id: string; score: number }>;
}

export function generateLog(seed = 7, noise = 300): GeneratedLog {
  const random = rng(seed);
  const pick = <T,>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const start = Date.parse('2026-03-01T08:00:00Z');
  const at = () => new Date(start + Math.floor(random() * 60) * 86_400_000 + Math.floor(random() * 10 * 3_600_000)).toISOString();
  const questions: QuestionRecord[] = [];
  const add = (raw: string, lang: 'nl' | 'en', decision: string, candidates: Array<{ id: string; score: number }>) =>
    questions.push({ kind: 'question', at: at(), data: { text: redact(raw), lang, decision, candidates, conversation: pseudonym(`conv-${Math.floor(random() * 900)}`) } });

  for (const f of FAMILIES) {
    for (let i = 0; i < f.count; i++) {
      let text = pick(f.phrasings);
      const r = random();
      if (r < 0.05) text = `Ik ben Jan de Vries. ${text}`;
      else if (r < 0.1) text = `${text} Bel me op 06-1234${String(1000 + i).slice(-4)}`;
      add(text, f.lang, random() < 0.7 ? 'fallback' : random() < 0.5 ? 'disambiguate' : 'near-miss', f.nearest.map((c) => ({ ...c, score: c.score * 0.9 })));
    }
  }
  for (let i = 0; i < noise; i++) add(`Vraag over ${pick(NOISE_TOPICS)} bij een ${NOISE_WORDS[i % NOISE_WORDS.length]}-${i}`, 'nl', 'fallback', []);
  questions.sort((a, b) => (a.at < b.at ? -1 : 1));

  const feedback: FeedbackRecord[] = [];
  const votes: Array<[string, number, number]> = [['cobot-cost', 3, 40], ['erp-mes', 25, 5], ['fieldlab-find', 9, 9], ['robot-safety', 2, 0]];
  for (const [entryId, down, up] of votes) {
    for (let i = 0; i < down; i++) feedback.push({ kind: 'feedback', at: at(), data: { entryId, vote: 'down', lang: 'nl', conversation: 'x' } });
    for (let i = 0; i < up; i++) feedback.push({ kind: 'feedback', at: at(), data: { entryId, vote: 'up', lang: 'nl', conversation: 'x' } });
  }

  const familyOf = (text: string) => FAMILIES.find((f) => f.phrasings.some((p) => text.includes(p)))?.name ?? 'noise';
  return {
    questions,
    feedback,
    familyOf,
    nearest: (text) => [...(FAMILIES.find((f) => f.name === familyOf(text))?.nearest ?? [])],
  };
}
