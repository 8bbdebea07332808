/**
 * Every tunable of the matcher in one frozen object (as fuse.js keeps its defaults). The
 * decision thresholds themselves come from config (they are an operator's choice, picked with
 * the curve that `kb eval` prints); these shape the score.
 */
export const MATCHER_DEFAULTS = Object.freeze({
  /** Weight of a word corrected for a typo, relative to a word typed right. */
  typoWeight: 0.8,
  /** Weight of the parts of a compound word (the whole word, when known, keeps weight 1). */
  compoundPartWeight: 0.5,
  /** Weight of the parts of an unknown compound in a message (they stand in for the whole). */
  unknownCompoundPartWeight: 0.9,
  /** Shortest part of a Dutch compound. */
  minCompoundPart: 3,
  /** Shortest word that gets typo correction, and the word length from which 2 edits are allowed. */
  minTypoLength: 4,
  twoEditsFromLength: 9,
  /** F-beta over (query covered, question covered): beta > 1 weighs covering the question more. */
  beta: 1.6,
  /** How the final score mixes: best single question, the whole entry's coverage of the query, character-trigram similarity. */
  questionWeight: 0.6,
  entryWeight: 0.25,
  trigramWeight: 0.15,
  /** How much a word found only in an entry's answer counts, relative to one in its questions. */
  contextWeight: 0.4,
  /** A word the knowledge does not know at all weighs this many times a word that only one entry
   * holds, against every match: a message about something else scores lower. */
  unknownWordWeight: 2,
  /** Messages longer than this (tokens) are also matched sentence by sentence. */
  segmentFromTokens: 14,
  /** At most this many sentences are matched separately. */
  maxSegments: 8,
  /** A single sentence's score counts for this much of a whole message's. */
  segmentFactor: 0.95,
  /** Scores are multiplied by this for a message of private life without business words. */
  privatePenalty: 0.4,
  /** Weight of "how typical the message's words are of the entry" (share of its questions holding them). */
  typicalWeight: 0,
  /** A word in this share of an entry's questions counts as fully typical. */
  typicalScale: 2,
  /** Weight of the linear classifier's probability for the entry (0: no classifier). */
  classifierWeight: 0.4,
  /** add: the probability is added to the score; mul: it scales the score (0.5 leaves it as it is). */
  classifierMode: 'gated' as 'add' | 'mul' | 'gated',
  /** gated: the classifier counts fully from this index score up, less below (thin evidence). */
  classifierGate: 0.5,
  /** Training passes, step size and weight decay of the classifier. */
  classifierEpochs: 12,
  classifierRate: 0.4,
  classifierL2: 1e-5,
  /** Weight of the small words ("wat is", "hoe begin ik", "moet ik", "for us") as classifier
   * features (0: none). The index leaves them out, but they tell what is asked about a topic. */
  cueWeight: 0.6,
  /** The out-of-scope examples (outofscope.yaml) train a class "not ours"; a message's scores are
   * multiplied by 1 - this weight × its probability (0: the examples are not used). */
  outOfScopeWeight: 1,
  /** Answer sentences train the classifier with this weight (questions: 1). */
  contextExampleWeight: 0.5,
  /** Entries scored in full (trigrams) after the index pass. */
  rescoreTop: 10,
  /** Up to this many trigrams in the message, compare it with every question of those entries;
   * a longer message only with each entry's best question (as long messages are like no
   * question letter for letter, the result hardly differs, and it halves their matching time). */
  trigramAllQuestionsMax: 80,
  /** Candidates returned (and put in the trace). */
  candidates: 5,
  /** A candidate this close to the best one is offered in "did you mean". */
  disambiguationSpread: 0.06,
  /** Most options in "did you mean". */
  maxChoices: 3,
});

/** The tunables' shape, with any number where the defaults hold one (for experiments and benchmarks). */
export type MatcherTunables = { readonly [K in keyof typeof MATCHER_DEFAULTS]: (typeof MATCHER_DEFAULTS)[K] extends number ? number : (typeof MATCHER_DEFAULTS)[K] };
