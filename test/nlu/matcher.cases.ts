/** Obvious phrasings the matcher must get right (the labelled test set in knowledge/tests measures the rest). */
export const MATCH_CASES: ReadonlyArray<[string, string, 'nl' | 'en']> = [
  ['Hoe begin ik met predictive maintenance?', 'predictive-maintenance-start', 'nl'],
  ['How do I get started with predictive maintenance?', 'predictive-maintenance-start', 'en'],
  ['wat is voorspellend onderhoud', 'predictive-maintenance-what', 'nl'],
  ['What is predictive maintenance?', 'predictive-maintenance-what', 'en'],
  ['wat kost een cobot', 'cobot-cost', 'nl'],
  ['what is a cobot', 'cobot-what', 'en'],
  ['Wat is een fieldlab?', 'what-is-a-fieldlab', 'nl'],
  ['what is NIS2', 'nis2-what', 'en'],
  ['Valt mijn bedrijf onder NIS2?', 'nis2-applies-to-me', 'nl'],
  ['hoe sluit ik oude machines aan', 'retrofit-old-machines', 'nl'],
  ['What is a digital twin?', 'digital-twin-what', 'en'],
  ['wat is een MES', 'mes-what', 'nl'],
  ['how do I calculate the ROI of automation', 'roi-calculation', 'en'],
  ['Wat is OEE?', 'dashboards-oee', 'nl'],
  ['Is machinedata persoonsgegevens onder de AVG?', 'avg-production-data', 'nl'],
  ['What is an EDIH?', 'edih-what', 'en'],
  ['hallo', 'greeting', 'nl'],
  ['thank you', 'thanks', 'en'],
  ['wie ben jij?', 'bot-capabilities', 'nl'],
  ['What can you do?', 'bot-capabilities', 'en'],
  ['doeiii', 'goodbye', 'nl'],
];

export const NONSENSE: readonly string[] = ['asdkjh qwe zxc', 'wat is de hoofdstad van Peru', 'what time does the train to Utrecht leave', '🍕🍕🍕', '....'];
