// NLP.js ships no type declarations; these cover what the eval uses.
declare module '@nlpjs/core' {
  export function containerBootstrap(settings?: object): Promise<{ use(plugin: unknown): void; get(name: string): any }>;
}
declare module '@nlpjs/nlp' {
  export class Nlp {
    constructor(settings?: object);
    addLanguage(lang: string): void;
    addDocument(lang: string, utterance: string, intent: string): void;
    train(): Promise<void>;
    process(lang: string, utterance: string): Promise<{ intent?: string; score?: number }>;
  }
}
declare module '@nlpjs/lang-nl' {
  export const LangNl: unknown;
}
declare module '@nlpjs/lang-en' {
  export const LangEn: unknown;
}
