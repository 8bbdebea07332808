// natural's index loads every storage adapter (each calling dotenv); we import only the
// modules we use, which ship without their own type declarations.
declare module 'natural/lib/natural/stemmers/porter_stemmer' {
  const stemmer: { stem(token: string): string };
  export = stemmer;
}
declare module 'natural/lib/natural/stemmers/porter_stemmer_nl' {
  const stemmer: { stem(token: string): string };
  export = stemmer;
}
declare module 'natural/lib/natural/distance/levenshtein_distance' {
  export function LevenshteinDistance(source: string, target: string, options?: object): number;
  export function DamerauLevenshteinDistance(
    source: string,
    target: string,
    options?: { restricted?: boolean; transposition_cost?: number },
  ): number;
}
declare module 'natural/lib/natural/util/stopwords_nl' {
  export const words: string[];
}
declare module 'natural/lib/natural/util/stopwords' {
  export const words: string[];
}
